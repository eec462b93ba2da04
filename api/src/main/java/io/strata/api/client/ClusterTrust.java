package io.strata.api.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in a cluster's own CA: a TLS context for the API clients that accepts an allocator only if
 * its certificate chains to the cluster CA (and nothing else: not the machine's CA store).
 *
 * <p>What is checked: the chain up to one of the given CA certificates (validity, signatures,
 * constraints) and that the allocator's certificate is meant for a TLS server (extended key usage
 * {@code serverAuth}). What is not: the host name. The cluster CA is created for one cluster by
 * whoever provisioned it and signs nothing but that cluster's allocators and, marked with {@link
 * #AGENT_UNIT}, its agents' endpoints, so a certificate chaining to it names an allocator of the
 * cluster ({@link #context()} refuses the agents' certificates) or one of its agents ({@link
 * #agentContext()}); and allocators are reached under addresses their certificate cannot know when
 * it is issued (a cloud's public or NAT address, a load balancer).
 */
public final class ClusterTrust {
  private final List<X509Certificate> authorities;

  private ClusterTrust(List<X509Certificate> authorities) {
    this.authorities = List.copyOf(authorities);
  }

  /**
   * The CA certificates in PEM text.
   *
   * @throws IllegalArgumentException with a sentence for an operator when the text holds no
   *     certificate or something else
   */
  public static ClusterTrust fromPem(String pem) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var c :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        certs.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("is not a PEM certificate (" + e.getMessage() + ")", e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate");
    }
    return new ClusterTrust(certs);
  }

  /** Reads {@link #fromPem} from a file. */
  public static ClusterTrust read(Path file) throws IOException {
    return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public List<X509Certificate> authorities() {
    return authorities;
  }

  /**
   * The organizational unit that marks the certificates the cluster CA issues to agents' endpoints
   * (the allocator issues them when agents register): a client of the allocator refuses them, a
   * client of an agent requires it, so an agent's key never passes for the allocator's.
   */
  public static final String AGENT_UNIT = "strata-agent";

  /**
   * A TLS client context for an allocator, trusting the cluster CA only (see the class comment); it
   * refuses a certificate issued to an agent ({@link #AGENT_UNIT}).
   */
  public SSLContext context() {
    return context(false);
  }

  /**
   * A TLS client context for an agent's own endpoint: the certificate must chain to the cluster CA
   * and be issued to an agent ({@link #AGENT_UNIT}); the host name is not checked.
   */
  public SSLContext agentContext() {
    return context(true);
  }

  /** Whether the certificate is one the cluster CA issued to an agent's endpoint. */
  public static boolean issuedToAgent(X509Certificate cert) {
    try {
      for (javax.naming.ldap.Rdn rdn :
          new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("OU") && AGENT_UNIT.equals(rdn.getValue())) {
          return true;
        }
      }
      return false;
    } catch (javax.naming.InvalidNameException e) {
      return false;
    }
  }

  private SSLContext context(boolean agent) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("cluster-ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      X509TrustManager chain = null;
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          chain = x;
        }
      }
      if (chain == null) {
        throw new IllegalStateException("the JDK offers no X.509 trust manager");
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new ClusterTrustManager(chain, agent)}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context for the cluster CA", e);
    }
  }

  /**
   * Checks the chain with the JDK's PKIX trust manager over the cluster CA, without its host name
   * check (an {@link X509ExtendedTrustManager} is trusted by JSSE to do its own identity check).
   */
  private static final class ClusterTrustManager extends X509ExtendedTrustManager {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private final X509TrustManager chain;
    private final boolean agent;

    ClusterTrustManager(X509TrustManager chain, boolean agent) {
      this.chain = chain;
      this.agent = agent;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      chain.checkServerTrusted(certs, authType);
      List<String> usages;
      try {
        usages = certs[0].getExtendedKeyUsage();
      } catch (CertificateParsingException e) {
        throw new CertificateException("unreadable extended key usage", e);
      }
      if (usages != null && !usages.contains(SERVER_AUTH)) {
        throw new CertificateException(
            "the allocator's certificate is not for a TLS server (no serverAuth usage)");
      }
      if (issuedToAgent(certs[0]) != agent) {
        throw new CertificateException(
            agent
                ? "the certificate was not issued to an agent's endpoint"
                : "the certificate was issued to an agent's endpoint, not to the allocator");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType)
        throws CertificateException {
      throw new CertificateException("a client context trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(certs, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return chain.getAcceptedIssuers();
    }
  }
}

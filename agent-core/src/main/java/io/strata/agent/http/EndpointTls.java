package io.strata.agent.http;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The TLS identity of the agent's own endpoint in a cluster that uses TLS: an EC P-256 key made at
 * start (kept in memory only, never written to disk), whose public key the agent sends when it
 * registers, and the certificate the allocator answers with, issued by the cluster CA. The
 * certificate is read from {@code certificates} at each handshake (a new one, from a later
 * registration, takes over without a restart). Until the agent has one, every handshake fails: the
 * endpoint never falls back to plain HTTP.
 */
public final class EndpointTls {
  private static final System.Logger LOG = System.getLogger(EndpointTls.class.getName());
  private static final String ALIAS = "strata-agent";

  private record Issued(String pem, X509Certificate[] chain) {}

  private final KeyPair pair;
  private final Supplier<String> certificates;
  private volatile Issued issued;

  /**
   * @param certificates the last registration's certificate chain (PEM), or null before one
   */
  public EndpointTls(Supplier<String> certificates) {
    this.certificates = certificates;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      this.pair = gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the endpoint's key", e);
    }
  }

  /** The public key to certify: base64 of its X.509 SubjectPublicKeyInfo. */
  public String publicKey() {
    return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
  }

  /** The certificate chain served now (the certificate first); empty before the allocator's. */
  public List<X509Certificate> chain() {
    X509Certificate[] chain = current();
    return chain == null ? List.of() : List.of(chain);
  }

  /** A TLS server context serving this identity. */
  public SSLContext context() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {new Keys()}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for the agent's endpoint", e);
    }
  }

  private X509Certificate[] current() {
    String pem = certificates.get();
    Issued now = issued;
    if (pem != null && (now == null || !now.pem().equals(pem))) {
      try {
        List<X509Certificate> chain = new ArrayList<>();
        for (var c :
            CertificateFactory.getInstance("X.509")
                .generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
          chain.add((X509Certificate) c);
        }
        if (chain.isEmpty() || !chain.get(0).getPublicKey().equals(pair.getPublic())) {
          LOG.log(
              System.Logger.Level.WARNING,
              "the allocator's certificate for the endpoint is not for its key: ignored");
        } else {
          now = new Issued(pem, chain.toArray(X509Certificate[]::new));
          issued = now;
          LOG.log(
              System.Logger.Level.INFO,
              "endpoint certificate from the cluster CA, valid until "
                  + chain.get(0).getNotAfter().toInstant());
        }
      } catch (GeneralSecurityException | ClassCastException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "the allocator's certificate for the endpoint is not PEM: " + e.getMessage());
      }
    }
    return now == null ? null : now.chain();
  }

  /** Serves the current certificate, or none (the handshake fails) before there is one. */
  private final class Keys extends X509ExtendedKeyManager {
    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      if (keyType == null || !keyType.startsWith("EC")) {
        return null;
      }
      if (current() == null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "a TLS client came before the allocator certified the endpoint: refused");
        return null;
      }
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return current() == null ? null : new String[] {ALIAS};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? current() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? pair.getPrivate() : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}

package io.strata.agent.windows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The cluster CA an agent trusts when it calls the allocator over HTTPS ({@code caFile} of the
 * bootstrap config). Only these certificates are trusted, not the machine's store: the allocator's
 * certificate is issued by the cluster CA.
 *
 * <p>agent-core's {@code AgentClient} builds its {@code HttpClient} with the JVM's default TLS
 * context and takes no other, so {@link #installAsDefault()} makes this the process's default: the
 * agent process talks TLS to the allocator only.
 */
public final class ClusterTrust {
  private final List<X509Certificate> certificates;

  private ClusterTrust(List<X509Certificate> certificates) {
    this.certificates = List.copyOf(certificates);
  }

  /**
   * Reads the PEM certificates in {@code file}; throws {@link IllegalArgumentException} with a
   * sentence fit for an operator if it holds none or something else.
   */
  public static ClusterTrust read(Path file) throws IOException {
    byte[] pem = Files.readAllBytes(file);
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var c : factory.generateCertificates(new ByteArrayInputStream(pem))) {
        certs.add((X509Certificate) c);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate (" + e.getMessage() + ")", e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM certificate");
    }
    return new ClusterTrust(certs);
  }

  public List<X509Certificate> certificates() {
    return certificates;
  }

  /** A TLS context that trusts the cluster CA and nothing else. */
  public SSLContext context() {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("cluster-ca-" + i, certificates.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context for the cluster CA", e);
    }
  }

  /** Makes {@link #context()} the JVM's default TLS context (what agent-core's client uses). */
  public void installAsDefault() {
    SSLContext.setDefault(context());
  }
}

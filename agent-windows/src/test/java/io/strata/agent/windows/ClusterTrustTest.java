package io.strata.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.strata.api.client.ClusterTrust;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster CA of the bootstrap config (api's ClusterTrust, which the Windows agent also makes
 * the JVM's default), against a real HTTPS server on 127.0.0.1.
 */
class ClusterTrustTest {
  @TempDir Path dir;
  TestCertificates allocatorCert;
  HttpsServer server;

  @BeforeEach
  void startServer() throws Exception {
    allocatorCert = TestCertificates.make(dir, "allocator");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(allocatorCert.keyStore.toFile())) {
      store.load(in, TestCertificates.PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, TestCertificates.PASSWORD);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  int get(SSLContext context) throws Exception {
    try (HttpClient client = HttpClient.newBuilder().sslContext(context).build()) {
      URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/v1/health");
      return client
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }

  @Test
  void trustsTheAllocatorCertifiedByTheClusterCa() throws Exception {
    ClusterTrust trust = ClusterTrust.read(allocatorCert.pem);
    assertThat(trust.authorities()).hasSize(1);
    assertThat(get(trust.context())).isEqualTo(204);
  }

  @Test
  void trustsNothingElse() throws Exception {
    TestCertificates other = TestCertificates.make(dir, "other");
    ClusterTrust trust = ClusterTrust.read(other.pem);
    assertThatThrownBy(() -> get(trust.context())).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aFileWithoutACertificateIsRefusedInWords() throws Exception {
    Path junk = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    assertThatThrownBy(() -> ClusterTrust.read(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PEM certificate");
  }
}

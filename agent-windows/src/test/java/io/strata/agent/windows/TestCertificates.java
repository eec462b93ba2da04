package io.strata.agent.windows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-signed certificates for 127.0.0.1 made by the JDK's keytool: a PKCS12 key store for a test
 * HTTPS server, and the certificate as PEM (what a cluster CA file holds).
 */
final class TestCertificates {
  final Path keyStore;
  final Path pem;
  static final char[] PASSWORD = "changeit".toCharArray();

  private TestCertificates(Path keyStore, Path pem) {
    this.keyStore = keyStore;
    this.pem = pem;
  }

  static TestCertificates make(Path dir, String name) throws IOException, InterruptedException {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name,
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        new String(PASSWORD),
        "-keypass",
        new String(PASSWORD));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        store.toString(),
        "-storepass",
        new String(PASSWORD),
        "-file",
        pem.toString());
    return new TestCertificates(store, pem);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  String pemText() throws IOException {
    return Files.readString(pem);
  }
}

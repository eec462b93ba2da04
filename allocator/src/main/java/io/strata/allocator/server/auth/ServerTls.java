package io.strata.allocator.server.auth;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.json.Checks;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The allocator's TLS identity: a server certificate and its key, either issued at start by the
 * cluster CA ({@code caFile} + {@code caKeyFile}; a new EC P-256 key every start, never written to
 * disk, valid for a year or until the CA expires) or read from {@code tlsCertFile} / {@code
 * tlsKeyFile}. An issued certificate names the machine's host name, {@code localhost}, every
 * address of its network interfaces and the configured host, so the usual tools ({@code curl
 * --cacert}) accept it at those addresses; Strata's own clients check the chain to the cluster CA
 * ({@code io.strata.api.client.ClusterTrust}).
 *
 * @param chain the certificate first, then its issuers
 */
public record ServerTls(PrivateKey key, List<X509Certificate> chain, PrivateKey caKey) {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();
  static final Duration LIFETIME = Duration.ofDays(365);

  public ServerTls {
    chain = List.copyOf(chain);
  }

  /**
   * The TLS identity the configuration asks for, or null for plain HTTP.
   *
   * @throws ValidationException naming the field of a file that cannot be read, holds no
   *     certificate or key, or a key that does not belong to its certificate
   */
  public static ServerTls load(AllocatorConfig config, Instant now) {
    if (!config.tls()) {
      return null;
    }
    Checks c = new Checks();
    List<X509Certificate> ca =
        config.caFile() == null ? List.of() : certificates(c, "caFile", config.caFile());
    if (config.tlsCertFile() != null) {
      List<X509Certificate> chain = certificates(c, "tlsCertFile", config.tlsCertFile());
      PrivateKey key = privateKey(c, "tlsKeyFile", config.tlsKeyFile());
      c.done();
      matches(key, chain.get(0).getPublicKey(), "tlsKeyFile", "tlsCertFile");
      List<X509Certificate> full = new ArrayList<>(chain);
      ca.stream().filter(cert -> !full.contains(cert)).forEach(full::add);
      return new ServerTls(key, full, null);
    }
    PrivateKey caKey = privateKey(c, "caKeyFile", config.caKeyFile());
    c.done();
    X509Certificate caCert = ca.get(0);
    matches(caKey, caCert.getPublicKey(), "caKeyFile", "caFile");
    new Checks()
        .require(
            caCert.getBasicConstraints() >= 0,
            "caFile",
            config.caFile() + " is not a CA certificate (no CA basic constraint)")
        .require(
            now.isBefore(caCert.getNotAfter().toInstant()),
            "caFile",
            config.caFile() + " expired at " + caCert.getNotAfter().toInstant())
        .done();
    return issue(caCert, caKey, config.cluster(), names(config.host()), now);
  }

  /** Issues a server certificate for {@code names} (host names and IP addresses). */
  static ServerTls issue(
      X509Certificate caCert, PrivateKey caKey, String cluster, Set<String> names, Instant now) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair pair = gen.generateKeyPair();
      String cn = cluster == null ? "strata-allocator" : cluster + " allocator";
      X509Certificate cert = sign(caCert, caKey, cn, names, pair.getPublic(), now, LIFETIME, false);
      return new ServerTls(pair.getPrivate(), List.of(cert, caCert), caKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue the allocator's certificate", e);
    }
  }

  /**
   * A server certificate for an agent's endpoint key, issued by the cluster CA and valid for {@link
   * #AGENT_LIFETIME} (the agent gets a new one at every registration), then the CA's certificate,
   * as PEM; empty when this allocator does not hold the CA's key. Names that are neither host names
   * nor addresses are left out.
   */
  public java.util.Optional<String> certifyAgent(
      PublicKey agentKey, String subject, Set<String> names, Instant now) {
    if (caKey == null) {
      return java.util.Optional.empty();
    }
    Set<String> usable = new LinkedHashSet<>();
    for (String name : names) {
      if (name != null
          && (name.matches("\\d{1,3}(\\.\\d{1,3}){3}")
              || name.matches("[0-9a-fA-F:]*:[0-9a-fA-F:.]*")
              || name.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})"))) {
        usable.add(name);
      }
    }
    X509Certificate ca = chain.get(chain.size() - 1);
    X509Certificate cert = sign(ca, caKey, subject, usable, agentKey, now, AGENT_LIFETIME, true);
    return java.util.Optional.of(pem(cert) + pem(ca));
  }

  static final Duration AGENT_LIFETIME = Duration.ofDays(30);

  private static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate", e);
    }
  }

  private static X509Certificate sign(
      X509Certificate caCert,
      PrivateKey caKey,
      String cn,
      Set<String> names,
      PublicKey subjectKey,
      Instant now,
      Duration lifetime,
      boolean agent) {
    try {
      X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
      subject.addRDN(BCStyle.O, "Strata");
      if (agent) {
        subject.addRDN(BCStyle.OU, io.strata.api.client.ClusterTrust.AGENT_UNIT);
      }
      subject.addRDN(BCStyle.CN, cn);
      Instant notAfter = now.plus(lifetime);
      if (caCert.getNotAfter().toInstant().isBefore(notAfter)) {
        notAfter = caCert.getNotAfter().toInstant();
      }
      List<GeneralName> sans = new ArrayList<>();
      for (String name : names) {
        sans.add(
            isAddress(name)
                ? new GeneralName(GeneralName.iPAddress, name)
                : new GeneralName(GeneralName.dNSName, name));
      }
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              caCert,
              new BigInteger(127, RANDOM),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(notAfter),
              subject.build(),
              subjectKey);
      builder
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(
              Extension.keyUsage,
              true,
              new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(
              Extension.extendedKeyUsage,
              false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(
              Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey))
          .addExtension(
              Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
      if (!sans.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      X509CertificateHolder holder =
          builder.build(new JcaContentSignerBuilder(signatureAlgorithm(caKey)).build(caKey));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + cn, e);
    }
  }

  /** The names an issued certificate carries: host name, localhost, interface addresses, host. */
  static Set<String> names(String host) {
    Set<String> names = new LinkedHashSet<>();
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (UnknownHostException e) {
      // A machine without a resolvable name is still reached at its addresses.
    }
    names.add("localhost");
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          String text = a.getHostAddress();
          int zone = text.indexOf('%');
          names.add(zone < 0 ? text : text.substring(0, zone));
        }
      }
    } catch (SocketException e) {
      names.add("127.0.0.1");
    }
    if (host != null && !host.equals("0.0.0.0") && !host.equals("::")) {
      names.add(host);
    }
    return names;
  }

  private static boolean isAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> "SHA256withECDSA";
    };
  }

  /** Jetty's TLS setup for this identity (an in-memory key store). */
  public SslContextFactory.Server sslContextFactory() {
    try {
      String password = Base64.getEncoder().encodeToString(RANDOM.generateSeed(12));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "allocator", key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
      SslContextFactory.Server factory = new SslContextFactory.Server();
      factory.setKeyStore(store);
      factory.setKeyStorePassword(password);
      factory.setKeyManagerPassword(password);
      // Agents and operators reach allocators under names and addresses the certificate cannot
      // know (NAT, load balancers): never refuse a request for its SNI name.
      factory.setSniRequired(false);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS key store", e);
    }
  }

  public X509Certificate certificate() {
    return chain.get(0);
  }

  @Override
  public String toString() {
    return "ServerTls[" + certificate().getSubjectX500Principal() + "]";
  }

  private static List<X509Certificate> certificates(Checks c, String field, String file) {
    List<X509Certificate> out = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(reader)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          out.add(converter.getCertificate(h));
        }
      }
    } catch (IOException e) {
      c.require(false, field, "cannot read " + file + ": " + Credentials.describe(e));
      return out;
    } catch (GeneralSecurityException | RuntimeException e) {
      c.require(false, field, file + " is not PEM: " + e.getMessage());
      return out;
    }
    c.require(!out.isEmpty(), field, file + " holds no PEM certificate");
    return out;
  }

  private static PrivateKey privateKey(Checks c, String field, String file) {
    try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(reader)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        switch (o) {
          case PEMKeyPair pair -> {
            if (pair.getPrivateKeyInfo().getPrivateKeyAlgorithm().getParameters() == null) {
              c.require(
                  false,
                  field,
                  file
                      + " holds an EC key without its curve; write it as PKCS#8 (BEGIN PRIVATE"
                      + " KEY), e.g. openssl pkcs8 -topk8 -nocrypt");
              return null;
            }
            return jdkKey(pair.getPrivateKeyInfo());
          }
          case PrivateKeyInfo info -> {
            return jdkKey(info);
          }
          case PEMEncryptedKeyPair e -> {
            c.require(false, field, file + " holds an encrypted key; give it unencrypted");
            return null;
          }
          case PKCS8EncryptedPrivateKeyInfo e -> {
            c.require(false, field, file + " holds an encrypted key; give it unencrypted");
            return null;
          }
          default -> {}
        }
      }
    } catch (IOException e) {
      c.require(false, field, "cannot read " + file + ": " + Credentials.describe(e));
      return null;
    } catch (GeneralSecurityException | RuntimeException e) {
      c.require(false, field, file + " is not a PEM private key: " + e.getMessage());
      return null;
    }
    c.require(false, field, file + " holds no PEM private key");
    return null;
  }

  /**
   * The JDK's key for a PEM key. BouncyCastle's provider reads every PEM form (a traditional "EC
   * PRIVATE KEY" keeps its curve where the JDK does not look); the JDK's own key factory then takes
   * its PKCS#8 encoding, so signing and TLS use the JDK's providers.
   */
  private static PrivateKey jdkKey(PrivateKeyInfo info)
      throws IOException, GeneralSecurityException {
    PrivateKey bc = new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(info);
    return KeyFactory.getInstance(bc.getAlgorithm().equals("ECDSA") ? "EC" : bc.getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(bc.getEncoded()));
  }

  /** Signs with the key and verifies with the certificate's public key. */
  private static void matches(PrivateKey key, PublicKey pub, String keyField, String certField) {
    try {
      byte[] probe = RANDOM.generateSeed(16);
      String alg = signatureAlgorithm(key);
      Signature signer = Signature.getInstance(alg);
      signer.initSign(key);
      signer.update(probe);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(alg);
      verifier.initVerify(pub);
      verifier.update(probe);
      if (verifier.verify(sig)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another type than the certificate's: not its key either.
    }
    throw new ValidationException(keyField, "is not the key of the certificate in " + certField);
  }
}

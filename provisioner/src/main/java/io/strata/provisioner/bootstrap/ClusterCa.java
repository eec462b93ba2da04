package io.strata.provisioner.bootstrap;

import io.strata.provisioner.core.ClusterSecrets;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates a cluster's secrets at its first apply: a self-signed CA (EC P-256, ten years) that every
 * node trusts, a random join token that agents present once, and the allocator's operator token.
 */
public final class ClusterCa {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterCa() {}

  public static ClusterSecrets create(String cluster, Instant now, Duration tokenLifetime) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      KeyPair pair = gen.generateKeyPair();
      X500Name subject = new X500Name("CN=Strata cluster CA " + cluster + ",O=Strata");
      X509CertificateHolder cert =
          new JcaX509v3CertificateBuilder(
                  subject,
                  new BigInteger(127, RANDOM),
                  Date.from(now.minus(1, ChronoUnit.HOURS)),
                  Date.from(now.plus(3650, ChronoUnit.DAYS)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));

      return new ClusterSecrets(
          pem(cert),
          // PKCS#8 ("PRIVATE KEY"): the JDK's EC key encoding leaves the curve out of a
          // traditional "EC PRIVATE KEY", which neither the allocator nor openssl could read.
          pem(new JcaPKCS8Generator(pair.getPrivate(), null)),
          randomToken(),
          now.plus(tokenLifetime).truncatedTo(ChronoUnit.SECONDS).toString(),
          randomToken());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot create the cluster CA", e);
    }
  }

  /** 32 random bytes, URL-safe base64 (43 characters). */
  public static String randomToken() {
    byte[] token = new byte[32];
    RANDOM.nextBytes(token);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
  }

  private static String pem(Object value) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}

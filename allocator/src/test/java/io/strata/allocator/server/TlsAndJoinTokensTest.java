package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.AgentInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.client.AgentClient;
import io.strata.api.client.ApiException;
import io.strata.api.client.ClusterTrust;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.OperatorClient;
import io.strata.api.json.ValidationException;
import io.strata.api.operator.JoinToken;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.testkit.Loopback;
import io.strata.testkit.MutableClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator as the bootstrap templates configure it: HTTPS with a certificate issued by the
 * cluster CA, a join token that expires, agents' own credentials, join tokens issued by operators.
 * Real TLS on 127.0.0.1.
 */
class TlsAndJoinTokensTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final String OPERATOR = "operator-token-0123456789";

  @TempDir Path dir;

  /** The allocator.json the allocator template writes, with the test's paths. */
  private Path bootstrapConfig(TestCa ca, Instant joinExpires) throws Exception {
    Path join = Files.writeString(dir.resolve("join-token"), TestAllocator.JOIN + "\n");
    Path operator = Files.writeString(dir.resolve("operator-token"), OPERATOR);
    String json =
        """
        {
          "cluster": "prod",
          "host": "%s",
          "port": 0,
          "dataDir": "%s",
          "caFile": "%s",
          "caKeyFile": "%s",
          "joinTokenFile": "%s",
          "joinTokenExpiresAt": "%s",
          "operatorTokenFile": "%s"
        }
        """
            .formatted(
                Loopback.HOST,
                dir.resolve("data"),
                ca.certFile(),
                ca.keyFile(),
                join,
                joinExpires,
                operator);
    return Files.writeString(dir.resolve("allocator.json"), json);
  }

  private static RegisterAgent registration(String hostname, io.strata.api.AgentId id) {
    return new RegisterAgent(
        id,
        new AgentInfo(
            hostname,
            Os.LINUX,
            "amd64",
            ResourcePool.unreserved(Resources.parse("cpus:2;mem:1024")),
            Map.of(),
            Set.of(),
            null,
            "test"),
        List.of());
  }

  @Test
  void servesHttpsWithACertificateOfTheClusterCaAndAgentsTrustOnlyThatCa() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"), "cluster-ca");
    AllocatorConfig config = AllocatorConfig.load(bootstrapConfig(ca, T0.plusSeconds(3600)));
    MutableClock clock = new MutableClock(T0);
    try (AllocatorServer server = AllocatorServer.start(config, clock)) {
      assertThat(server.uri().toString()).startsWith("https://127.0.0.1:");
      X509Certificate cert = server.certificate().orElseThrow();
      assertThat(cert.getIssuerX500Principal().getName()).contains("CN=cluster-ca");
      assertThat(cert.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)))
          .contains("127.0.0.1", "localhost");
      SSLContext trust = ClusterTrust.fromPem(ca.certPem()).context();

      AgentClient agent = new AgentClient(server.uri(), TestAllocator.JOIN, trust);
      AgentRegistered registered = agent.register(registration("node-1", null));
      assertThat(registered.agentToken()).startsWith("sa2.");
      agent.heartbeat(registered.agentId());
      List<AgentMessage> received = new CopyOnWriteArrayList<>();
      try (NdjsonStream<AgentMessage> stream =
          agent.openStream(registered.agentId(), received::add)) {
        new OperatorClient(server.uri(), OPERATOR, trust)
            .drain(registered.agentId(), new io.strata.api.operator.DrainRequest(null, null));
        Awaitility.await()
            .atMost(30, TimeUnit.SECONDS)
            .until(() -> received.stream().anyMatch(m -> m instanceof AgentMessage.Drain));
      }
      OperatorClient operator = new OperatorClient(server.uri(), OPERATOR, trust);
      assertThat(operator.agents()).hasSize(1);

      // Another CA, or the JVM's default trust store: the handshake fails, nothing is sent.
      TestCa other = TestCa.create(dir.resolve("other"), "other-ca");
      OperatorClient wrong =
          new OperatorClient(
              server.uri(), OPERATOR, ClusterTrust.fromPem(other.certPem()).context());
      assertThatThrownBy(wrong::agents)
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("unreachable");
      assertThatThrownBy(() -> new OperatorClient(server.uri(), OPERATOR).agents())
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("unreachable");
      // Plain HTTP to the TLS port gets no API.
      assertThatThrownBy(
              () ->
                  new OperatorClient(URI.create("http://127.0.0.1:" + server.port()), OPERATOR)
                      .agents())
          .isInstanceOf(ApiException.class);
    }
  }

  @Test
  void theJoinTokenExpiresButAgentsKeepTheirCredentialAndOperatorsIssueNewTokens()
      throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"), "cluster-ca");
    AllocatorConfig config = AllocatorConfig.load(bootstrapConfig(ca, T0.plusSeconds(3600)));
    MutableClock clock = new MutableClock(T0);
    SSLContext trust = ClusterTrust.fromPem(ca.certPem()).context();
    AllocatorServer server = AllocatorServer.start(config, clock);
    URI base = server.uri();
    try {
      AgentClient early = new AgentClient(base, TestAllocator.JOIN, trust);
      AgentRegistered first = early.register(registration("early", null));

      clock.advance(Duration.ofHours(2));
      AgentClient late = new AgentClient(base, TestAllocator.JOIN, trust);
      assertThatThrownBy(() -> late.register(registration("late", null)))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("expired").contains("/v1/join-tokens");
              });
      // The agent that joined in time goes on with its own credential, re-registration too. (It
      // re-registers first: after two silent hours the allocation loop may already have marked it
      // UNREACHABLE, and a heartbeat would then be told to re-register, as a real agent is.)
      assertThat(early.register(registration("early", first.agentId())).agentId())
          .isEqualTo(first.agentId());
      early.heartbeat(first.agentId());
      // A credential is good for its own agent only.
      AgentClient thief = new AgentClient(base, "unused-token-0123456789", trust);
      thief.useAgentToken(first.agentToken());
      assertThatThrownBy(() -> thief.register(registration("thief", null)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));

      OperatorClient operator = new OperatorClient(base, OPERATOR, trust);
      JoinToken fresh = operator.issueJoinToken(new JoinTokenRequest(600L));
      assertThat(fresh.expiresAt()).isEqualTo(clock.instant().plusSeconds(600));
      AgentClient withFresh = new AgentClient(base, fresh.token(), trust);
      AgentRegistered second = withFresh.register(registration("late", null));
      assertThat(operator.agents()).hasSize(2);
      assertThatThrownBy(() -> operator.issueJoinToken(new JoinTokenRequest(10L)))
          .isInstanceOfSatisfying(
              ValidationException.class,
              e -> assertThat(e.violations().get(0).field()).isEqualTo("ttlSeconds"));
      // Frameworks may not issue join tokens; agents' tokens are no principal's.
      assertThatThrownBy(
              () ->
                  new OperatorClient(base, fresh.token(), trust)
                      .issueJoinToken(new JoinTokenRequest(null)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));

      // Operators list tokens (never the tokens themselves) and revoke them.
      assertThat(operator.joinTokens())
          .extracting(JoinTokenView::id, JoinTokenView::state)
          .containsExactly(
              tuple("bootstrap", JoinTokenView.State.EXPIRED),
              tuple(fresh.id(), JoinTokenView.State.ACTIVE));
      JoinToken doomed = operator.issueJoinToken(new JoinTokenRequest(3600L, "scale pool gpu"));
      assertThat(operator.revokeJoinToken(doomed.id()).state())
          .isEqualTo(JoinTokenView.State.REVOKED);
      assertThatThrownBy(
              () -> new AgentClient(base, doomed.token(), trust).register(registration("x", null)))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("revoked");
              });
      assertThatThrownBy(() -> operator.revokeJoinToken("nope"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
      assertThat(operator.joinTokens().toString()).doesNotContain(doomed.token());

      // A restart keeps issued tokens, revocations and credentials (journaled state; credentials
      // derive from the CA key).
      int port = server.port();
      server.close();
      server = AllocatorServer.start(config.withPort(port), clock);
      early.register(registration("early", first.agentId()));
      new AgentClient(base, fresh.token(), trust).register(registration("third", null));
      assertThatThrownBy(
              () -> new AgentClient(base, doomed.token(), trust).register(registration("x", null)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));

      clock.advance(Duration.ofMinutes(11));
      assertThatThrownBy(
              () ->
                  new AgentClient(base, fresh.token(), trust)
                      .register(registration("fourth", null)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
      withFresh.register(registration("late", second.agentId()));
    } finally {
      server.close();
    }
  }

  @Test
  void theConfiguredTokenCanBeRevokedUntilTheFileHoldsAnotherOne() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"), "cluster-ca");
    AllocatorConfig config = AllocatorConfig.load(bootstrapConfig(ca, T0.plusSeconds(3600)));
    MutableClock clock = new MutableClock(T0);
    SSLContext trust = ClusterTrust.fromPem(ca.certPem()).context();
    try (AllocatorServer server = AllocatorServer.start(config, clock)) {
      AgentClient agent = new AgentClient(server.uri(), TestAllocator.JOIN, trust);
      AgentRegistered joined = agent.register(registration("a", null));
      OperatorClient operator = new OperatorClient(server.uri(), OPERATOR, trust);
      assertThat(operator.revokeJoinToken("bootstrap").state())
          .isEqualTo(JoinTokenView.State.REVOKED);
      assertThatThrownBy(
              () ->
                  new AgentClient(server.uri(), TestAllocator.JOIN, trust)
                      .register(registration("b", null)))
          .hasMessageContaining("revoked");
      agent.heartbeat(joined.agentId());
    }
    // A new token in the file is accepted again: the revocation was of the old one.
    Files.writeString(dir.resolve("join-token"), "another-join-token-0123456789");
    try (AllocatorServer server = AllocatorServer.start(config, clock)) {
      new AgentClient(server.uri(), "another-join-token-0123456789", trust)
          .register(registration("b", null));
      assertThat(new OperatorClient(server.uri(), OPERATOR, trust).joinTokens().get(0).state())
          .isEqualTo(JoinTokenView.State.ACTIVE);
    }
  }

  @Test
  void aCredentialActsOnlyWhereItsAgentIsRecorded() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"), "cluster-ca");
    Path file = bootstrapConfig(ca, T0.plusSeconds(3600));
    AllocatorConfig a = AllocatorConfig.load(file);
    AllocatorConfig b = a.withDataDir(dir.resolve("data-b").toString());
    SSLContext trust = ClusterTrust.fromPem(ca.certPem()).context();
    MutableClock clock = new MutableClock(T0);
    try (AllocatorServer one = AllocatorServer.start(a, clock);
        AllocatorServer two = AllocatorServer.start(b, clock)) {
      AgentClient agent = new AgentClient(two.uri(), TestAllocator.JOIN, trust);
      AgentRegistered r = agent.register(registration("n", null));
      // Credentials are state (the agent's record keeps its hash), not derived from the CA key:
      // an allocator that does not hold the agent (another cluster's state) refuses it.
      AgentClient atOne = new AgentClient(one.uri(), "unused-token-0123456789", trust);
      atOne.useAgentToken(r.agentToken());
      assertThatThrownBy(() -> atOne.heartbeat(r.agentId()))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("join anew");
              });
      agent.heartbeat(r.agentId());
      // The generated principals' tokens are derived from the CA key too: the built-in frameworks
      // and a viewer are accepted by whichever allocator of the cluster they reach.
      for (String name : List.of(Credentials.FRAMEWORKS, Credentials.VIEWER)) {
        assertThat(two.credentials().byName(name).orElseThrow().token())
            .as(name)
            .isEqualTo(one.credentials().byName(name).orElseThrow().token());
      }
    }
  }

  @Test
  void theStartBannerPrintsGeneratedTokensOnlyNeverTheOperatorTokenFromItsFile() throws Exception {
    Path operator = Files.writeString(dir.resolve("operator-token"), OPERATOR);
    AllocatorConfig config =
        AllocatorConfig.parse(
            "{\"host\": \"%s\", \"port\": 0, \"dataDir\": \"%s\", \"operatorTokenFile\": \"%s\"}"
                .formatted(Loopback.HOST, dir.resolve("data"), operator));
    try (AllocatorServer server = AllocatorServer.start(config, new MutableClock(T0))) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      AllocatorMain.describe(server, config, new java.io.PrintStream(bytes, true));
      String banner = bytes.toString();
      assertThat(banner)
          .contains("agent join token: " + server.credentials().joinToken())
          .doesNotContain(OPERATOR)
          .contains("principal viewer: in the file")
          .doesNotContain(server.credentials().byName(Credentials.VIEWER).orElseThrow().token())
          .doesNotContain(
              server.credentials().byName(Credentials.FRAMEWORKS).orElseThrow().token());
      assertThat(new OperatorClient(server.uri(), OPERATOR).agents()).isEmpty();
    }
  }

  private static RegisterAgent withKey(String hostname, String publicKey) {
    RegisterAgent r = registration(hostname, null);
    AgentInfo i = r.info();
    return new RegisterAgent(
        null,
        new AgentInfo(
            i.hostname(),
            i.os(),
            i.arch(),
            i.resources(),
            i.attributes(),
            i.capabilities(),
            "https://127.0.0.1:5051",
            i.version()),
        List.of(),
        publicKey);
  }

  @Test
  void theClusterCaCertifiesAnAgentsEndpointKeyAsAnAgentsNeverAsTheAllocators() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"), "cluster-ca");
    AllocatorConfig config = AllocatorConfig.load(bootstrapConfig(ca, T0.plusSeconds(3600)));
    try (AllocatorServer server = AllocatorServer.start(config, new MutableClock(T0))) {
      SSLContext trust = ClusterTrust.fromPem(ca.certPem()).context();
      java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
      gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      java.security.KeyPair pair = gen.generateKeyPair();
      String key = java.util.Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());

      AgentRegistered answer =
          new AgentClient(server.uri(), TestAllocator.JOIN, trust).register(withKey("node-1", key));
      List<X509Certificate> chain =
          ClusterTrust.fromPem(answer.certificate()).authorities(); // parses a PEM chain
      X509Certificate cert = chain.get(0);
      assertThat(cert.getPublicKey()).isEqualTo(pair.getPublic());
      cert.verify(ClusterTrust.fromPem(ca.certPem()).authorities().get(0).getPublicKey());
      assertThat(chain.get(1)).isEqualTo(ClusterTrust.fromPem(ca.certPem()).authorities().get(0));
      assertThat(ClusterTrust.issuedToAgent(cert)).isTrue();
      assertThat(ClusterTrust.issuedToAgent(server.certificate().orElseThrow())).isFalse();
      assertThat(cert.getSubjectX500Principal().getName())
          .contains("CN=strata agent " + answer.agentId().value());
      assertThat(cert.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)))
          .containsExactlyInAnyOrder("node-1", "127.0.0.1");
      assertThat(cert.getNotAfter().toInstant())
          .isAfter(T0)
          .isBeforeOrEqualTo(T0.plus(Duration.ofDays(30)));
      assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
      assertThat(cert.getBasicConstraints()).isEqualTo(-1);

      // Without a key, no certificate; a key that is not one: 400 naming the field.
      assertThat(
              new AgentClient(server.uri(), TestAllocator.JOIN, trust)
                  .register(registration("node-2", null))
                  .certificate())
          .isNull();
      assertThatThrownBy(
              () ->
                  new AgentClient(server.uri(), TestAllocator.JOIN, trust)
                      .register(withKey("node-3", "bm90IGEga2V5")))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.getMessage()).contains("publicKey");
              });
    }
    // Without the CA key (plain HTTP here), agents get no certificate.
    try (TestAllocator alloc = new TestAllocator(dir.resolve("plain"), "").start()) {
      java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
      gen.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      String key =
          java.util.Base64.getEncoder()
              .encodeToString(gen.generateKeyPair().getPublic().getEncoded());
      assertThat(
              new AgentClient(alloc.uri(), TestAllocator.JOIN)
                  .register(withKey("node-4", key))
                  .certificate())
          .isNull();
    }
  }

  @Test
  void plainHttpStaysTheDefault() throws Exception {
    try (TestAllocator alloc = new TestAllocator(dir, "").start()) {
      assertThat(alloc.uri().getScheme()).isEqualTo("http");
      assertThat(alloc.server.certificate()).isEmpty();
      FakeAgent agent = alloc.agent("plain", "cpus:1;mem:512");
      agent.register();
      assertThat(alloc.operator().agents()).hasSize(1);
    }
  }

  @Test
  void checkReportsTheBootstrapFilesWithTheirFields() throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"), "cluster-ca");
    TestCa other = TestCa.create(dir.resolve("other"), "other-ca");
    AllocatorConfig good = AllocatorConfig.load(bootstrapConfig(ca, T0.plusSeconds(3600)));
    assertThat(AllocatorServer.check(good, new MutableClock(T0)))
        .anyMatch(l -> l.contains("HTTPS"))
        .anyMatch(l -> l.contains("accepted until 2026-03-01T01:00:00Z"));
    assertThat(Files.exists(dir.resolve("data"))).isFalse();

    String text = Files.readString(dir.resolve("allocator.json"));
    Files.writeString(
        dir.resolve("bad.json"),
        text.replace(ca.keyFile().toString(), other.keyFile().toString())
            .replace(dir.resolve("join-token").toString(), dir.resolve("missing").toString()));
    assertThatThrownBy(
            () ->
                AllocatorServer.check(
                    AllocatorConfig.load(dir.resolve("bad.json")), new MutableClock(T0)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations().toString())
                    .contains("joinTokenFile: cannot read " + dir.resolve("missing")));
    Files.writeString(
        dir.resolve("bad2.json"),
        text.replace(ca.keyFile().toString(), other.keyFile().toString()));
    assertThatThrownBy(
            () ->
                AllocatorServer.check(
                    AllocatorConfig.load(dir.resolve("bad2.json")), new MutableClock(T0)))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations().toString())
                    .contains("caKeyFile: is not the key of the certificate in caFile"));
    assertThatThrownBy(
            () ->
                AllocatorConfig.parse(
                    "{\"dataDir\": \"d\", \"caKeyFile\": \"k\", \"joinTokenExpiresAt\": \"soon\"}"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.violations().toString()).contains("joinTokenExpiresAt"));
    assertThatThrownBy(() -> AllocatorConfig.parse("{\"dataDir\": \"d\", \"caKeyFile\": \"k\"}"))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations().toString())
                    .contains("caFile: is required with caKeyFile"));
  }
}

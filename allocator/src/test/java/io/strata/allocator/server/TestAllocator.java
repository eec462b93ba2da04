package io.strata.allocator.server;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.api.client.OperatorClient;
import io.strata.testkit.Loopback;
import io.strata.testkit.MutableClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An allocator on 127.0.0.1 for a test, with known tokens and a clock the test moves. Principals:
 * {@code admin} (operator, every role), {@code web} (role web and below), {@code batch}.
 */
final class TestAllocator implements AutoCloseable {
  static final String JOIN = "join-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static final String WEB = "web-token-0123456789ab";
  static final String BATCH = "batch-token-0123456789";

  final Path dataDir;
  final MutableClock clock;
  final String extraYaml;
  AllocatorServer server;

  TestAllocator(Path dataDir, String extraYaml) {
    this(dataDir, extraYaml, new MutableClock(Instant.parse("2026-03-01T00:00:00Z")));
  }

  TestAllocator(Path dataDir, String extraYaml, MutableClock clock) {
    this.dataDir = dataDir;
    this.extraYaml = extraYaml;
    this.clock = clock;
  }

  AllocatorConfig config() {
    String yaml =
        "dataDir: "
            + dataDir
            + "\nhost: "
            + Loopback.HOST
            + "\nport: 0\njoinToken: "
            + JOIN
            + "\nallocationIntervalMillis: 5\nallocationSeed: 42\n"
            + extraYaml;
    AllocatorConfig base = AllocatorConfig.parse(yaml);
    if (!base.principals().isEmpty()) {
      return base;
    }
    // Every other field as the YAML gave it (dnsTtlSeconds, ...).
    return base.withCredentials(
        base.joinToken(),
        List.of(
            new Principal("admin", ADMIN, Set.of("*"), true),
            new Principal("web", WEB, Set.of("web"), false),
            new Principal("batch", BATCH, Set.of("batch"), false)));
  }

  TestAllocator start() {
    server = AllocatorServer.start(config(), clock);
    return this;
  }

  /** Stops and starts again on the same data directory and port (a clean restart). */
  TestAllocator restart() {
    int port = server.port();
    server.close();
    server = AllocatorServer.start(config().withPort(port), clock);
    return this;
  }

  URI uri() {
    return server.uri();
  }

  OperatorClient operator() {
    return new OperatorClient(uri(), ADMIN);
  }

  FakeAgent agent(String hostname, String resources) {
    return new FakeAgent(uri(), JOIN, hostname, resources);
  }

  FakeFramework framework(String name, String token, String... roles) {
    return new FakeFramework(uri(), token, name, Set.of(roles));
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}

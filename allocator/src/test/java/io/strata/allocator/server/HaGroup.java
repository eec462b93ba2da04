package io.strata.allocator.server;

import static org.awaitility.Awaitility.await;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.json.Codec;
import io.strata.api.operator.LeaderView;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Allocators of one HA group in this JVM, each with its own data directory and port on 127.0.0.1,
 * sharing a ZooKeeper root, the join token, the principals of {@link TestAllocator} and a token key
 * file. Seen from outside only: HTTP and {@link AllocatorServer}'s public methods.
 */
final class HaGroup implements AutoCloseable {
  static final long SESSION_MILLIS = 6_000;
  private static final AtomicInteger ROOTS = new AtomicInteger();

  static {
    // No ZooKeeper admin HTTP server (it would listen on every interface).
    System.setProperty("zookeeper.admin.enableServer", "false");
  }

  final Path dir;
  final String zookeeper;
  final String root;

  /** The ZooKeeper session timeout of the allocators started from now on. */
  long sessionMillis = SESSION_MILLIS;

  final List<AllocatorServer> servers = new ArrayList<>();
  final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HaGroup(Path dir, String connectString) throws IOException {
    this.dir = dir;
    this.root = "/strata-ha-" + ROOTS.incrementAndGet();
    this.zookeeper = "zk://" + connectString + root;
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Files.writeString(dir.resolve("token-key"), Base64.getEncoder().encodeToString(key));
  }

  AllocatorConfig config(String name) {
    return configFor(name, zookeeper);
  }

  /**
   * The config of allocator {@code name} reaching the group's root through {@code connectString};
   * {@code moreYaml}: more lines of its config.
   */
  AllocatorConfig config(String name, String connectString, String... moreYaml) {
    return configFor(name, "zk://" + connectString + root, moreYaml);
  }

  private AllocatorConfig configFor(String name, String zookeeperUrl, String... more) {
    return AllocatorConfig.parse(yaml(name, zookeeperUrl, more));
  }

  /** The YAML of allocator {@code name}'s config, with {@code more} lines. */
  String yaml(String name, String zookeeperUrl, String... more) {
    return ("dataDir: "
        + dir.resolve(name)
        + "\nhost: "
        + Loopback.HOST
        + "\nport: 0\njoinToken: "
        + TestAllocator.JOIN
        + "\ntokenKeyFile: "
        + dir.resolve("token-key")
        + "\nzookeeper: "
        + zookeeperUrl
        + "\nzookeeperSessionTimeoutMillis: "
        + sessionMillis
        + "\nallocationIntervalMillis: 5\nagentUnreachableAfterMillis: 600000\n"
        + "principals:\n"
        + "  - {name: admin, token: "
        + TestAllocator.ADMIN
        + ", operator: true}\n"
        + "  - {name: web, token: "
        + TestAllocator.WEB
        + ", roles: [web]}\n"
        + String.join("\n", more));
  }

  AllocatorServer start(String name) {
    return start(config(name));
  }

  AllocatorServer start(AllocatorConfig config) {
    AllocatorServer s = AllocatorServer.start(config, Clock.systemUTC());
    servers.add(s);
    return s;
  }

  /** GET without following redirects. */
  HttpResponse<String> get(URI base, String pathAndQuery) {
    return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  LeaderView leaderSeenBy(AllocatorServer s) {
    return Codec.JSON.decode(get(s.uri(), "/v1/leader").body().getBytes(), LeaderView.class);
  }

  /** The allocators not closed. */
  List<AllocatorServer> live(AllocatorServer... closed) {
    List<AllocatorServer> out = new ArrayList<>(servers);
    out.removeAll(List.of(closed));
    return out;
  }

  /** The one of {@code among} that says it leads, once exactly one does and serves. */
  AllocatorServer awaitLeader(List<AllocatorServer> among, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> leaderIfOne(among), Optional::isPresent)
        .orElseThrow();
  }

  private Optional<AllocatorServer> leaderIfOne(List<AllocatorServer> among) {
    List<AllocatorServer> leading = new ArrayList<>();
    for (AllocatorServer s : among) {
      if (leaderSeenBy(s).isLeader()) {
        leading.add(s);
      }
    }
    if (leading.size() != 1 || get(leading.get(0).uri(), "/health/leader").statusCode() != 200) {
      return Optional.empty();
    }
    return Optional.of(leading.get(0));
  }

  @Override
  public void close() {
    servers.forEach(AllocatorServer::close);
  }
}

package io.strata.fakes.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.testkit.fake.Queries;
import io.strata.testkit.fake.WriteBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful fake OpenStack on 127.0.0.1 for tests: Keystone v3 (password auth, a catalog that
 * points at this server), Nova (flavors, limits, keypairs, servers that build, run or fail),
 * Neutron (networks, subnets, routers and their interfaces, security groups and rules, ports,
 * floating IPs, tags) and Glance v2 (images). Faults can be injected: boot latency, a write rate
 * limit answered with 429 and Retry-After, 5xx bursts, and servers that go to ERROR.
 */
public final class FakeOpenStack implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String REGION = "RegionOne";

  private final HttpServer server;
  final OpenStackStore store = new OpenStackStore();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failStatus = 503;
  private volatile WriteBucket writeLimit;
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong authentications = new AtomicLong();

  private FakeOpenStack(HttpServer server) {
    this.server = server;
  }

  public static FakeOpenStack start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
      FakeOpenStack os = new FakeOpenStack(server);
      server.createContext("/", os::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return os;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The Keystone v3 endpoint. */
  public String authUrl() {
    return base() + "/identity/v3";
  }

  public FakeOpenStack user(String name, String password) {
    store.users.put(name, password);
    return this;
  }

  public FakeOpenStack flavor(String name, int vcpus) {
    store.flavors.put(name, vcpus);
    return this;
  }

  public FakeOpenStack image(String name) {
    store.images.add(name);
    return this;
  }

  public FakeOpenStack externalNetwork(String name) {
    store.externalNetwork(name);
    return this;
  }

  public FakeOpenStack coresLimit(int cores) {
    store.coresLimit = cores;
    return this;
  }

  public FakeOpenStack bootLatency(Duration d) {
    store.bootNanos = d.toNanos();
    return this;
  }

  public FakeOpenStack failBoot(String serverName) {
    store.failBoot.add(serverName);
    return this;
  }

  public FakeOpenStack writeLimit(int burst, double perSecond) {
    writeLimit = new WriteBucket(burst, perSecond, System.nanoTime());
    return this;
  }

  public FakeOpenStack failNext(int n, int status) {
    failStatus = status;
    failNext.set(n);
    return this;
  }

  /** Servers (existing now) with their name, status and metadata. */
  public List<JsonNode> servers() {
    return store.servers(System.nanoTime());
  }

  /** Neutron ports (copies): name, fixed IPs, the server they are bound to (device_id). */
  public List<JsonNode> ports() {
    return store.ports();
  }

  /** Names of servers that are ACTIVE. */
  public List<String> activeServers() {
    return servers().stream()
        .filter(s -> s.path("status").asText().equals("ACTIVE"))
        .map(s -> s.path("name").asText())
        .toList();
  }

  /** The user data a server was booted with, decoded. */
  public String userData(String serverName) {
    return store.userData.get(serverName);
  }

  /** Names of everything carrying {@code tag}: Neutron tags, server metadata key=value. */
  public List<String> tagged(String key, String value) {
    return store.tagged(key + "=" + value, key, value, System.nanoTime());
  }

  /** Keystone token requests answered (they are POSTs but not writes). */
  public long authentications() {
    return authentications.get();
  }

  public long requests(String method) {
    return requests.computeIfAbsent(method, m -> new AtomicLong()).get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      requests.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
      String path = ex.getRequestURI().getPath();
      if (path.endsWith("/auth/tokens")) {
        authentications.incrementAndGet();
      }
      Map<String, String> query = Queries.parse(ex.getRequestURI().getRawQuery());
      byte[] in = ex.getRequestBody().readAllBytes();
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(
            ex,
            new OpenStackStore.Answer(failStatus, error(failStatus, "injected failure"), Map.of()));
        return;
      }
      boolean write = !method.equals("GET");
      WriteBucket limit = writeLimit;
      if (write && limit != null && !path.endsWith("/auth/tokens")) {
        long wait = limit.take(System.nanoTime());
        if (wait > 0) {
          long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
          send(
              ex,
              new OpenStackStore.Answer(
                  429, error(429, "rate limited"), Map.of("Retry-After", Long.toString(seconds))));
          return;
        }
      }
      if (!path.endsWith("/auth/tokens")
          && !store.tokens.contains(ex.getRequestHeaders().getFirst("X-Auth-Token"))) {
        send(ex, new OpenStackStore.Answer(401, error(401, "no valid token"), Map.of()));
        return;
      }
      JsonNode body = in.length == 0 ? JSON.createObjectNode() : JSON.readTree(in);
      send(ex, store.route(method, path, query, body, base(), System.nanoTime()));
    } catch (RuntimeException e) {
      send(ex, new OpenStackStore.Answer(500, error(500, String.valueOf(e)), Map.of()));
    }
  }

  static ObjectNode error(int code, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", code).put("message", message);
    root.putObject("NeutronError").put("type", "Fake").put("message", message);
    return root;
  }

  private static void send(HttpExchange ex, OpenStackStore.Answer a) throws IOException {
    a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    if (a.body() == null) {
      ex.sendResponseHeaders(a.status(), -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(a.body());
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(a.status(), bytes.length);
    ex.getResponseBody().write(bytes);
  }
}

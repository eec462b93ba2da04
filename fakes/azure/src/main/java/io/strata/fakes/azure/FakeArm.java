package io.strata.fakes.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.testkit.fake.Queries;
import io.strata.testkit.fake.WriteBucket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * A stateful fake of Azure Resource Manager on 127.0.0.1 for tests: resources kept in memory with
 * tags, long-running operations (PUT answers 201 with Azure-AsyncOperation, DELETE 202 with
 * Location), VM sizes, usages (cores quota) and images, and injectable faults: create latency, a
 * write rate limit answered with 429 and Retry-After, 5xx bursts, and VMs that fail to boot.
 *
 * <p>It speaks plain HTTP but advertises {@code https://127.0.0.1:PORT}: the Azure SDK refuses to
 * send a bearer token over http, so clients add {@link #loopbackPolicy()}, which turns the scheme
 * back to http after authentication, and only for 127.0.0.1.
 */
public final class FakeArm implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG_FILTER =
      Pattern.compile("tagName eq '([^']+)' and tagValue eq '([^']+)'");

  private final HttpServer server;
  private final ArmStore store = new ArmStore();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failStatus = 503;
  private volatile WriteBucket writeLimit;
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong throttled = new AtomicLong();

  private FakeArm(HttpServer server) {
    this.server = server;
  }

  public static FakeArm start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 200);
      FakeArm arm = new FakeArm(server);
      server.createContext("/", arm::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return arm;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The ARM endpoint to configure in the SDK (with {@link #loopbackPolicy()}). */
  public String endpoint() {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  // ---- what tests set -----------------------------------------------------------------

  /** How long a VM create takes until its operation succeeds. */
  public FakeArm vmLatency(Duration d) {
    store.vmLatencyNanos = d.toNanos();
    return this;
  }

  /** How long any other create or delete takes. */
  public FakeArm latency(Duration d) {
    store.latencyNanos = d.toNanos();
    return this;
  }

  /** Writes beyond a bucket of {@code burst} refilled at {@code perSecond} get 429. */
  public FakeArm writeLimit(int burst, double perSecond) {
    writeLimit = new WriteBucket(burst, perSecond, System.nanoTime());
    return this;
  }

  /** The next {@code n} requests (any method) answer {@code status}. */
  public FakeArm failNext(int n, int status) {
    failStatus = status;
    failNext.set(n);
    return this;
  }

  /** This VM's create operation ends Failed (OSProvisioningTimedOut). */
  public FakeArm failBoot(String vmName) {
    store.failBoot.add(vmName.toLowerCase());
    return this;
  }

  public FakeArm coresLimit(int cores) {
    store.coresLimit = cores;
    return this;
  }

  public FakeArm vmSize(String name, int cores) {
    store.sizes.put(name, cores);
    return this;
  }

  /** An image, as {@code publisher:offer:sku:version}. */
  public FakeArm image(String urn) {
    store.images.add(urn.toLowerCase());
    return this;
  }

  // ---- what tests read ----------------------------------------------------------------

  /** Resources of a type (e.g. {@code Microsoft.Compute/virtualMachines}) that exist now. */
  public List<JsonNode> resources(String type) {
    return store.list(System.nanoTime(), r -> r.type().equalsIgnoreCase(type));
  }

  /** All resources and resource groups carrying a tag. */
  public List<JsonNode> tagged(String tag, String value) {
    return store.list(
        System.nanoTime(), r -> value.equals(r.body.path("tags").path(tag).asText(null)));
  }

  /** Names of VMs whose create succeeded (they "boot"). */
  public List<String> runningVms() {
    long now = System.nanoTime();
    return store
        .list(now, r -> r.type().equalsIgnoreCase("Microsoft.Compute/virtualMachines"))
        .stream()
        .filter(v -> v.path("properties").path("provisioningState").asText().equals("Succeeded"))
        .map(v -> v.path("name").asText())
        .toList();
  }

  /** What a VM was given as custom data (decoded), as Azure keeps it from GET answers. */
  public String customData(String vmName) {
    return store.secret("customData:" + vmName.toLowerCase());
  }

  /** A VM extension's protectedSettings, as stored (never returned by GET). */
  public JsonNode protectedSettings(String vmName, String extension) {
    String s = store.secret("protected:" + vmName.toLowerCase() + "/" + extension.toLowerCase());
    try {
      return s == null ? null : JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long requests(String method) {
    return requests.computeIfAbsent(method, m -> new AtomicLong()).get();
  }

  public long throttled() {
    return throttled.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---- for clients ----------------------------------------------------------------------

  /** A credential that hands out a fixed token: the fake checks only that one is sent. */
  public static TokenCredential credential() {
    return request ->
        Mono.just(new AccessToken("fake-arm-token", OffsetDateTime.now().plusHours(1)));
  }

  /**
   * Sends what the SDK addressed to {@code https://127.0.0.1:*} over plain http. Runs after the
   * bearer-token policy (per retry), so the SDK's https check still holds for every other host.
   */
  public static HttpPipelinePolicy loopbackPolicy() {
    return new HttpPipelinePolicy() {
      @Override
      public Mono<com.azure.core.http.HttpResponse> process(
          com.azure.core.http.HttpPipelineCallContext context,
          com.azure.core.http.HttpPipelineNextPolicy next) {
        URL original = context.getHttpRequest().getUrl();
        if (!toLoopback(context)) {
          return next.process();
        }
        // Put the https URL back once answered: pollers reuse the request's URL.
        return next.process().doFinally(signal -> context.getHttpRequest().setUrl(original));
      }

      @Override
      public com.azure.core.http.HttpResponse processSync(
          com.azure.core.http.HttpPipelineCallContext context,
          com.azure.core.http.HttpPipelineNextSyncPolicy next) {
        URL original = context.getHttpRequest().getUrl();
        if (!toLoopback(context)) {
          return next.processSync();
        }
        try {
          return next.processSync();
        } finally {
          context.getHttpRequest().setUrl(original);
        }
      }

      @Override
      public HttpPipelinePosition getPipelinePosition() {
        return HttpPipelinePosition.PER_RETRY;
      }
    };
  }

  private static boolean toLoopback(com.azure.core.http.HttpPipelineCallContext context) {
    URL url = context.getHttpRequest().getUrl();
    if (url.getProtocol().equals("https") && url.getHost().equals("127.0.0.1")) {
      context.getHttpRequest().setUrl(url.toString().replaceFirst("^https://", "http://"));
      return true;
    }
    return false;
  }

  // ---- HTTP -----------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      requests.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
      URI uri = ex.getRequestURI();
      String path = uri.getPath();
      Map<String, String> query = Queries.parse(uri.getRawQuery());
      if (!ex.getRequestHeaders()
          .getOrDefault("Authorization", List.of(""))
          .get(0)
          .startsWith("Bearer ")) {
        send(ex, 401, error("AuthenticationFailed", "no bearer token"), Map.of());
        return;
      }
      if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        send(ex, failStatus, error("ServiceUnavailable", "injected failure"), Map.of());
        return;
      }
      boolean write = !method.equals("GET") && !method.equals("HEAD");
      WriteBucket limit = writeLimit;
      if (write && limit != null) {
        long waitNanos = limit.take(System.nanoTime());
        if (waitNanos > 0) {
          throttled.incrementAndGet();
          long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
          send(
              ex,
              429,
              error("TooManyRequests", "write limit exceeded"),
              Map.of("Retry-After", Long.toString(seconds)));
          return;
        }
      }
      byte[] in = ex.getRequestBody().readAllBytes();
      ArmStore.Answer answer = route(method, path, query, in);
      send(ex, answer.status(), answer.body(), answer.headers());
    } catch (RuntimeException e) {
      send(ex, 500, error("InternalServerError", String.valueOf(e)), Map.of());
    }
  }

  private ArmStore.Answer route(String method, String path, Map<String, String> q, byte[] in)
      throws IOException {
    String base = endpoint().substring(0, endpoint().length() - 1);
    String lower = path.toLowerCase();
    long now = System.nanoTime();
    Matcher op = Pattern.compile("/fake/(operations|operationresults)/([^/]+)").matcher(lower);
    if (op.matches()) {
      return store.operation(op.group(2), op.group(1).equals("operations"), now);
    }
    if (lower.matches("/subscriptions/[^/]+/resources")
        || lower.matches("/subscriptions/[^/]+/resourcegroups")) {
      Matcher m = TAG_FILTER.matcher(q.getOrDefault("$filter", ""));
      boolean groups = lower.endsWith("/resourcegroups");
      boolean found = m.find();
      return store.listTagged(now, groups, found ? m.group(1) : null, found ? m.group(2) : null);
    }
    Matcher loc =
        Pattern.compile("/subscriptions/[^/]+/providers/microsoft.compute/locations/([^/]+)/(.*)")
            .matcher(lower);
    if (loc.matches()) {
      return store.compute(loc.group(1), loc.group(2), now);
    }
    if (!lower.matches("/subscriptions/[^/]+/resourcegroups/[^/]+(/providers/.*)?")) {
      return new ArmStore.Answer(404, error("NotFound", "no route " + path), Map.of());
    }
    return switch (method) {
      case "PUT" -> store.put(path, (ObjectNode) JSON.readTree(in), base, now);
      case "GET" -> store.get(path, now);
      case "DELETE" -> store.delete(path, base, now);
      case "HEAD" ->
          store.get(path, now).status() == 200
              ? new ArmStore.Answer(204, null, Map.of())
              : new ArmStore.Answer(404, null, Map.of());
      default -> new ArmStore.Answer(405, error("MethodNotAllowed", method), Map.of());
    };
  }

  static ObjectNode error(String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("error").put("code", code).put("message", message);
    return root;
  }

  private static void send(HttpExchange ex, int status, JsonNode body, Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.getResponseHeaders().add("x-ms-request-id", java.util.UUID.randomUUID().toString());
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }
}

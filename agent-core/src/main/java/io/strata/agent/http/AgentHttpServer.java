package io.strata.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.UnknownContainerException;
import io.strata.agent.files.SandboxFiles;
import io.strata.agent.tasks.Sandboxes;
import io.strata.agent.tasks.TaskCheckpoint;
import io.strata.agent.tasks.Tasks;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's own HTTP endpoint (JDK {@code com.sun.net.httpserver}, no framework: it keeps the
 * agent small), HTTPS with a certificate from the cluster CA ({@link EndpointTls}) in a cluster
 * that uses TLS. Read-only:
 *
 * <pre>
 * GET /health
 * GET /v1/tasks                                      the tasks held, with their sandboxes
 * GET /v1/tasks/{containerId}/usage                  current resource use
 * GET /v1/sandboxes[?taskId=]                        the sandboxes on disk, of held and ended tasks
 * GET /v1/sandboxes/{containerId}/files/{path}       a file (?offset=&amp;length=), or a directory listing
 * </pre>
 *
 * Every route but {@code /health} needs a bearer token that {@link AgentAccess} accepts (401
 * otherwise). Files are read through {@link SandboxFiles}: a path that leaves the sandbox ({@code
 * ..}, an absolute path, a symbolic link in any component), a FIFO, socket or device node, or a
 * file with other hard links is refused with 403. At most {@link Limits#total()} requests are
 * served at once, {@link Limits#perClient()} from one address; past that the endpoint answers 503
 * or 429 at once (no queue), so {@code /health}, which is not counted, stays up.
 */
public final class AgentHttpServer implements AutoCloseable {
  private static final long MAX_READ = 1 << 20;
  private static final String SANDBOXES = "/v1/sandboxes/";
  private static final String TASKS = "/v1/tasks";

  /** How many requests are served at once, in total and from one client address. */
  public record Limits(int total, int perClient) {
    public static final Limits DEFAULT = new Limits(64, 16);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Tasks tasks;
  private final Path sandboxRoot;
  private final SandboxFiles files;
  private final AgentAccess access;
  private final RequestLimits limits;

  /**
   * @param files how sandbox files are opened (the platform's: beneath the sandbox, no links)
   * @param access who may call the routes other than {@code /health}
   */
  public AgentHttpServer(
      String host,
      int port,
      Tasks tasks,
      Path sandboxRoot,
      SandboxFiles files,
      AgentAccess access,
      Limits limits)
      throws IOException {
    this(host, port, tasks, sandboxRoot, files, access, limits, null);
  }

  /**
   * @param tls serves HTTPS with this context (the agent's {@link EndpointTls}); null for plain
   *     HTTP
   */
  public AgentHttpServer(
      String host,
      int port,
      Tasks tasks,
      Path sandboxRoot,
      SandboxFiles files,
      AgentAccess access,
      Limits limits,
      javax.net.ssl.SSLContext tls)
      throws IOException {
    this.tasks = tasks;
    this.sandboxRoot = sandboxRoot.toAbsolutePath().normalize();
    this.files = files;
    this.access = access;
    this.limits = new RequestLimits(limits.total(), limits.perClient());
    if (tls == null) {
      this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    } else {
      var https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(host, port), 256);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      this.server = https;
    }
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        problem(ex, 405, "Method not allowed", "the agent's endpoint is read-only (GET)");
        return;
      }
      String path = ex.getRequestURI().getPath();
      if (path.equals("/health")) {
        send(ex, 200, "text/plain", "ok\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      var denied = access.check(ex.getRequestHeaders().getFirst("Authorization"));
      if (denied.isPresent()) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"strata-agent\"");
        send(ex, denied.get().status(), Problem.MEDIA_TYPE, Codec.JSON.encodeBytes(denied.get()));
        return;
      }
      RequestLimits.Admission admission = limits.admit(ex.getRemoteAddress().getAddress());
      if (admission.slot().isEmpty()) {
        ex.getResponseHeaders().set("Retry-After", "1");
        if (admission.refusal() == RequestLimits.Refusal.CLIENT) {
          problem(ex, 429, "Too many requests", "too many requests at once from this address");
        } else {
          problem(ex, 503, "Busy", "the agent serves too many requests at once; retry shortly");
        }
        return;
      }
      try (RequestLimits.Slot slot = admission.slot().get()) {
        route(ex, path);
      }
    } catch (RuntimeException e) {
      problem(ex, 500, "Agent error", e.getMessage());
    }
  }

  private void route(HttpExchange ex, String path) throws IOException {
    if (path.equals(TASKS)) {
      json(ex, 200, taskViews());
    } else if (path.startsWith(TASKS + "/") && path.endsWith("/usage")) {
      usage(ex, path.substring(TASKS.length() + 1, path.length() - "/usage".length()));
    } else if (path.equals(SANDBOXES.substring(0, SANDBOXES.length() - 1))) {
      json(ex, 200, sandboxViews(query(ex.getRequestURI().getRawQuery()).get("taskId")));
    } else if (path.startsWith(SANDBOXES)) {
      sandbox(ex, path.substring(SANDBOXES.length()));
    } else {
      problem(ex, 404, "Not found", "no route " + path);
    }
  }

  private List<Map<String, Object>> taskViews() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TaskCheckpoint r : tasks.records()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("frameworkId", r.frameworkId());
      v.put("taskId", r.taskId());
      v.put("containerId", r.containerId());
      v.put("containerizer", r.containerizer());
      v.put("state", r.state());
      v.put("user", r.user());
      v.put("sandbox", SANDBOXES + r.containerId() + "/files/");
      out.add(v);
    }
    return out;
  }

  /** The sandboxes on disk, newest first; only {@code taskId}'s when it is given. */
  private List<Map<String, Object>> sandboxViews(String taskId) throws IOException {
    Set<String> held = new HashSet<>();
    tasks.records().forEach(r -> held.add(r.containerId().value()));
    List<Map<String, Object>> out = new ArrayList<>();
    for (Sandboxes.Owner o : tasks.sandboxOwners()) {
      if (taskId != null && !taskId.equals(o.taskId().value())) {
        continue;
      }
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("frameworkId", o.frameworkId());
      v.put("taskId", o.taskId());
      v.put("containerId", o.containerId());
      v.put("held", held.contains(o.containerId().value()));
      v.put("modifiedAt", o.modifiedAt().toString());
      v.put("files", SANDBOXES + o.containerId() + "/files/");
      out.add(v);
    }
    return out;
  }

  private void usage(HttpExchange ex, String container) throws IOException {
    ContainerId id;
    try {
      id = ContainerId.of(container);
    } catch (IllegalArgumentException e) {
      problem(ex, 400, "Bad container id", e.getMessage());
      return;
    }
    var c = tasks.containerizerOf(id);
    if (c.isEmpty()) {
      problem(ex, 404, "Not found", "no task in container " + container);
      return;
    }
    try {
      var usage = c.get().usage(id);
      if (usage.isEmpty()) {
        problem(ex, 404, "Not found", "container " + container + " has ended");
      } else {
        json(ex, 200, usage.get());
      }
    } catch (UnknownContainerException e) {
      problem(ex, 404, "Not found", e.getMessage());
    }
  }

  private void sandbox(HttpExchange ex, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String container = slash < 0 ? rest : rest.substring(0, slash);
    String after = slash < 0 ? "" : rest.substring(slash + 1);
    if (!after.equals("files") && !after.startsWith("files/")) {
      problem(ex, 404, "Not found", "use " + SANDBOXES + "{containerId}/files/{path}");
      return;
    }
    String relative = after.equals("files") ? "" : after.substring("files/".length());
    ContainerId id;
    try {
      id = ContainerId.of(container);
    } catch (IllegalArgumentException e) {
      problem(ex, 400, "Bad container id", e.getMessage());
      return;
    }
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    long offset;
    long length;
    try {
      offset = Long.parseLong(query.getOrDefault("offset", "0"));
      length =
          Math.min(MAX_READ, Long.parseLong(query.getOrDefault("length", Long.toString(MAX_READ))));
    } catch (NumberFormatException e) {
      problem(ex, 400, "Bad query", "offset and length are whole numbers of bytes");
      return;
    }
    if (offset < 0 || length < 0) {
      problem(ex, 400, "Bad query", "offset and length must be >= 0");
      return;
    }
    Path root = sandboxRoot.resolve(id.value());
    SandboxFiles.Result result;
    try {
      result = files.read(root, relative, offset, (int) length);
    } catch (IOException e) {
      problem(ex, 500, "Cannot read the sandbox", e.getMessage());
      return;
    }
    switch (result) {
      case SandboxFiles.FileData file -> send(ex, 200, "application/octet-stream", file.data());
      case SandboxFiles.Listing listing -> {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (SandboxFiles.Entry entry : listing.entries()) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("name", entry.name());
          e.put("type", entry.type());
          e.put("directory", entry.directory());
          e.put("size", entry.size());
          entries.add(e);
        }
        json(ex, 200, entries);
      }
      case SandboxFiles.Missing missing ->
          problem(ex, 404, "Not found", missing.detail() + " (container " + container + ")");
      case SandboxFiles.Refused refused -> problem(ex, 403, "Forbidden", refused.detail());
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            pair.substring(0, eq),
            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, "application/json", Codec.JSON.encodeBytes(body));
  }

  private static void problem(HttpExchange ex, int status, String title, String detail)
      throws IOException {
    send(ex, status, Problem.MEDIA_TYPE, Codec.JSON.encodeBytes(Problem.of(status, title, detail)));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

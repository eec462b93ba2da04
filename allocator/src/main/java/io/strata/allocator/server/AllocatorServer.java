package io.strata.allocator.server;

import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.auth.ServerTls;
import io.strata.allocator.server.http.AgentAccessApi;
import io.strata.allocator.server.http.AgentApi;
import io.strata.allocator.server.http.HttpApi;
import io.strata.allocator.server.http.OperatorApi;
import io.strata.allocator.server.http.Route;
import io.strata.allocator.server.http.SchedulerApi;
import io.strata.allocator.server.http.StoreApi;
import io.strata.allocator.server.master.AllocationLoop;
import io.strata.allocator.server.master.Master;
import io.strata.allocator.server.master.Recovery;
import io.strata.allocator.server.master.ServerMetrics;
import io.strata.allocator.state.EmbeddedJournal;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStore;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running allocator: state recovered from the data directory, the allocation loop, and the HTTP
 * APIs. {@link #start} returns once it serves; {@link #close} stops it (what was acknowledged is
 * durable at any moment, so a crash instead of a close loses nothing acknowledged).
 */
public final class AllocatorServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllocatorServer.class);
  static final String JOURNAL_DIR = "journal";

  private final AllocatorConfig config;
  private final Credentials credentials;
  private final StateStore store;
  private final Master master;
  private final AllocationLoop loop;
  private final HttpApi http;
  private final ServerTls tls;
  private final long seed;
  private final List<HttpExtension> extensions;
  private volatile boolean closed;

  private AllocatorServer(
      AllocatorConfig config,
      Credentials credentials,
      StateStore store,
      Master master,
      AllocationLoop loop,
      HttpApi http,
      ServerTls tls,
      long seed,
      List<HttpExtension> extensions) {
    this.config = config;
    this.credentials = credentials;
    this.store = store;
    this.master = master;
    this.loop = loop;
    this.http = http;
    this.tls = tls;
    this.seed = seed;
    this.extensions = extensions;
  }

  private static AllocatorServer build(
      AllocatorConfig config, Clock clock, StateStore store, List<HttpExtension> extensions) {
    ServerTls tls = ServerTls.load(config, clock.instant());
    Credentials credentials;
    try {
      credentials =
          Credentials.resolve(
              config, tls != null && tls.caKey() != null ? JoinTokens.derive(tls.caKey()) : null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the tokens in " + config.dataDir(), e);
    }
    StateSnapshot recovered = store.recover();
    long seed =
        config.allocationSeed() != null ? config.allocationSeed() : new SecureRandom().nextLong();
    HierarchicalAllocator core =
        new HierarchicalAllocator(
            // Batching is the loop's job (in real time); the core allocates whenever asked.
            io.strata.allocator.core.AllocatorConfig.DEFAULTS.withMinInterval(Duration.ZERO), seed);
    ServerMetrics metrics = new ServerMetrics();
    Master master =
        new Master(
            config,
            clock,
            store,
            core,
            metrics,
            Authorizer.of(
                config.acls(),
                credentials.principals().stream().map(AllocatorConfig.Principal::grantee).toList()),
            Long.toString(new SecureRandom().nextLong() & Long.MAX_VALUE, 36));
    metrics.source(() -> master.read(() -> ServerMetrics.count(master)));
    Recovery.rebuild(master, recovered);
    JoinTokens tokens;
    try {
      tokens = JoinTokens.of(config, credentials, tls, clock, master);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read or write the token key in " + config.dataDir(), e);
    }
    AgentAccessApi agentAccess =
        new AgentAccessApi(tokens.subkey("strata agent access key v1"), clock);
    List<Route> routes = new ArrayList<>();
    routes.addAll(
        new AgentApi(
                master,
                config.agentHeartbeatIntervalMillis(),
                tokens,
                agentAccess.publicKey(),
                tls,
                clock)
            .routes());
    routes.addAll(agentAccess.routes());
    routes.addAll(new SchedulerApi(master, config.frameworkHeartbeatIntervalMillis()).routes());
    routes.addAll(new StoreApi(master).routes());
    routes.addAll(new OperatorApi(master, metrics, openApiDocument(), tokens).routes());
    for (HttpExtension extension : extensions) {
      routes.addAll(extensionRoutes(extension));
    }
    HttpApi http = new HttpApi(config, credentials, tokens, master.authorizer, tls, routes);
    try {
      http.start();
    } catch (RuntimeException e) {
      http.close();
      throw new IllegalStateException(
          "cannot serve on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    AllocationLoop loop =
        new AllocationLoop(
                master,
                clock,
                AllocationLoop.tickMillisFor(config),
                config.allocationIntervalMillis())
            .start();
    AllocatorServer server =
        new AllocatorServer(config, credentials, store, master, loop, http, tls, seed, extensions);
    LOG.info(
        "allocator{} serving on {} (allocation seed {}){}",
        config.cluster() == null ? "" : " of cluster " + config.cluster(),
        server.uri(),
        seed,
        tls == null
            ? ""
            : ", TLS certificate " + tls.certificate().getSubjectX500Principal().getName());
    if (tokens.configuredExpiresAt() != null) {
      LOG.info("the configured join token is accepted until {}", tokens.configuredExpiresAt());
    }
    return server;
  }

  /** Starts an allocator with the embedded journal in {@code config.dataDir()}. */
  public static AllocatorServer start(AllocatorConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts an allocator whose timeouts follow {@code clock} (tests control time with it). */
  public static AllocatorServer start(AllocatorConfig config, Clock clock) {
    return start(
        config,
        clock,
        new EmbeddedJournal(config.dataPath().resolve(JOURNAL_DIR), config.snapshotEvery()));
  }

  /** Starts an allocator on another state store (e.g. ZooKeeper); it takes ownership of it. */
  public static AllocatorServer start(AllocatorConfig config, Clock clock, StateStore store) {
    return start(config, clock, store, List.of());
  }

  /** Starts an allocator that also serves {@code extensions} on its port. */
  public static AllocatorServer start(
      AllocatorConfig config, Clock clock, List<HttpExtension> extensions) {
    return start(
        config,
        clock,
        new EmbeddedJournal(config.dataPath().resolve(JOURNAL_DIR), config.snapshotEvery()),
        extensions);
  }

  private static AllocatorServer start(
      AllocatorConfig config, Clock clock, StateStore store, List<HttpExtension> extensions) {
    try {
      return build(config, clock, store, List.copyOf(extensions));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static List<Route> extensionRoutes(HttpExtension extension) {
    io.javalin.http.Handler handler =
        ctx -> {
          HttpExtension.Answer a =
              extension.handle(ctx.method().name(), ctx.path(), ctx.bodyAsBytes());
          ctx.status(a.status()).contentType(a.contentType());
          if (a.body() != null && a.body().length > 0) {
            ctx.result(a.body());
          }
        };
    List<Route> out = new ArrayList<>();
    for (String prefix : extension.prefixes()) {
      for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
        Route.Guard guard =
            Route.Guard.of(
                "as the extension says", ctx -> extension.permissions(method, ctx.path()));
        out.add(new Route(method, prefix, guard, handler));
        out.add(new Route(method, prefix + "/<rest>", guard, handler));
      }
    }
    return out;
  }

  /** The base URL of the APIs, e.g. {@code http://127.0.0.1:5050} ({@code https} with TLS). */
  public URI uri() {
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create((tls == null ? "http" : "https") + "://" + host + ":" + http.port());
  }

  /** The certificate the allocator serves HTTPS with; empty for plain HTTP. */
  public java.util.Optional<java.security.cert.X509Certificate> certificate() {
    return java.util.Optional.ofNullable(tls).map(ServerTls::certificate);
  }

  /**
   * Checks a configuration as {@link #start} would use it, starting nothing and writing nothing:
   * token files readable, TLS material valid (a certificate is issued in memory). Returns a summary
   * line per fact.
   *
   * @throws ValidationException naming the field of every problem
   */
  public static List<String> check(AllocatorConfig config, Clock clock) {
    Credentials configured = Credentials.configured(config);
    ServerTls tls = ServerTls.load(config, clock.instant());
    List<String> out = new ArrayList<>();
    if (config.cluster() != null) {
      out.add("cluster: " + config.cluster());
    }
    out.add(
        "listen: " + config.host() + ":" + config.port() + (tls == null ? " (HTTP)" : " (HTTPS)"));
    out.add("data directory: " + config.dataPath().toAbsolutePath());
    if (tls != null) {
      out.add(
          "TLS certificate: "
              + tls.certificate().getSubjectX500Principal().getName()
              + (tls.caKey() == null
                  ? " (from tlsCertFile)"
                  : " (issued by the cluster CA at start)"));
    }
    out.add(
        "join token: "
            + (configured.joinToken() == null ? "generated at first start" : "configured")
            + (config.joinTokenExpiresAt() == null
                ? ""
                : ", accepted until "
                    + config.joinTokenExpiresAt()
                    + (clock.instant().isBefore(config.joinTokenExpiresAt()) ? "" : " (EXPIRED)")));
    List<String> generated = new ArrayList<>();
    if (configured.principals().isEmpty()) {
      generated.add(Credentials.ADMIN);
    }
    for (String name : List.of(Credentials.VIEWER, Credentials.FRAMEWORKS)) {
      if (configured.byName(name).isEmpty()) {
        generated.add(name);
      }
    }
    out.add(
        "principals: "
            + configured.principals().stream().map(p -> p.name()).toList()
            + (generated.isEmpty() ? "" : ", generated at first start: " + generated));
    out.add(
        "acls: "
            + (config.acls().describe().isEmpty()
                ? "none"
                : config.acls().describe().size() + " entries")
            + (config.acls().permissive() ? ", permissive" : ", not permissive"));
    return out;
  }

  public int port() {
    return http.port();
  }

  /**
   * False once the state store failed or an operation failed halfway: the allocator then
   * acknowledges nothing more and must be restarted (recovery rebuilds it from the journal).
   */
  public boolean healthy() {
    return master.healthy();
  }

  public Credentials credentials() {
    return credentials;
  }

  /** Who may do what (the configured ACLs and the principals' settings). */
  public Authorizer authorizer() {
    return master.authorizer;
  }

  public long allocationSeed() {
    return seed;
  }

  /**
   * "METHOD path" of every HTTP route served (Javalin path syntax): the allocator's own, and each
   * extension's operations in place of the catch-all routes that hand its prefixes to it.
   */
  public List<String> routes() {
    List<String> out = new ArrayList<>();
    for (String route : http.registeredRoutes()) {
      String path = route.substring(route.indexOf(' ') + 1);
      if (extensions.stream().noneMatch(e -> owns(e, path))) {
        out.add(route);
      }
    }
    for (HttpExtension extension : extensions) {
      for (String route : extension.routes()) {
        out.add(route.replaceAll("\\{([^}]+)}", "<$1>"));
      }
    }
    return out;
  }

  private static boolean owns(HttpExtension extension, String path) {
    return extension.prefixes().stream()
        .anyMatch(p -> path.equals(p) || path.equals(p + "/<rest>"));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    master.closeStreams();
    http.close();
    loop.close();
    store.close();
    LOG.info("allocator stopped");
  }

  static byte[] openApiDocument() {
    try (InputStream in = AllocatorServer.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.strata.allocator.server;

import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.auth.ServerTls;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.dns.AgentAddresses;
import io.strata.allocator.server.dns.DnsNames;
import io.strata.allocator.server.dns.DnsServer;
import io.strata.allocator.server.dns.Upstream;
import io.strata.allocator.server.dns.Zone;
import io.strata.allocator.server.http.HttpApi;
import io.strata.allocator.server.http.LeaderGate;
import io.strata.allocator.server.http.Route;
import io.strata.allocator.state.EmbeddedJournal;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStore;
import io.strata.api.json.ValidationException;
import io.strata.api.operator.LeaderView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
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
  private final Authorizer authorizer;
  private final ServerTls tls;
  private final List<HttpExtension> extensions;
  private final HttpApi http;
  private final LeaderDuties duties;

  /** Without ZooKeeper: the one term, for the allocator's whole life. */
  private volatile LeaderTerm single;

  /** With ZooKeeper: the election, and the term while this allocator leads. */
  private volatile Candidacy candidacy;

  private volatile boolean closed;

  /** The {@code strata.} zone's server; null with {@code dnsEnabled: false}. */
  private volatile DnsServer dns;

  private AllocatorServer(
      AllocatorConfig config,
      Clock clock,
      Credentials credentials,
      ServerTls tls,
      List<HttpExtension> extensions,
      LeaderDuties duties) {
    this.config = config;
    this.credentials = credentials;
    this.tls = tls;
    this.extensions = extensions;
    this.duties = duties;
    // The same rules each term's master applies (LeaderTerm): config and principals only.
    this.authorizer = authorizer(config, credentials);
    List<Route> routes = new ArrayList<>();
    routes.add(
        Route.get(LeaderGate.LEADER, Route.Guard.open(), ctx -> LeaderGate.leader(ctx, leader())));
    routes.add(
        Route.get(
            LeaderGate.HEALTH_LEADER,
            Route.Guard.open(),
            ctx -> LeaderGate.healthLeader(ctx, leader())));
    // Registered once; each request goes to the term leading now, or is refused as a standby.
    for (String key : LeaderTerm.shapes(config, clock, tls, extensions)) {
      String[] parts = key.split(" ", 2);
      routes.add(new Route(parts[0], parts[1], Route.Guard.open(), ctx -> dispatch(key, ctx)));
    }
    this.http = new HttpApi(config, credentials, null, authorizer, tls, routes);
  }

  private void dispatch(String key, io.javalin.http.Context ctx) throws Exception {
    LeaderTerm t = term();
    if (t != null) {
      t.handle(key, ctx);
    } else if (key.equals("GET " + io.strata.api.client.Paths.HEALTH) && !closed) {
      ctx.status(200).contentType("text/plain").result("ok (standby)\n");
    } else {
      LeaderGate.refuse(ctx, leader().leader());
    }
  }

  private LeaderTerm term() {
    Candidacy c = candidacy;
    return c != null ? c.term() : single;
  }

  /** Who may do what: the configured ACLs and what the principals' settings imply. */
  static Authorizer authorizer(AllocatorConfig config, Credentials credentials) {
    return Authorizer.of(
        config.acls(),
        credentials.principals().stream().map(AllocatorConfig.Principal::grantee).toList());
  }

  /** Who leads, as this allocator knows it ({@code GET /v1/leader}). */
  public LeaderView leader() {
    Candidacy c = candidacy;
    if (c != null) {
      return c.view();
    }
    String self = config.advertisedUrl(http.port());
    return single != null && !closed
        ? new LeaderView(self, self, true, 1)
        : new LeaderView(null, self, false, 1);
  }

  private static AllocatorServer build(
      AllocatorConfig config,
      Clock clock,
      StateStore store,
      List<HttpExtension> extensions,
      LeaderDuties duties) {
    ServerTls tls = ServerTls.load(config, clock.instant());
    Credentials credentials;
    try {
      credentials = Credentials.resolve(config, clusterKey(config, tls));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write the tokens in " + config.dataDir(), e);
    }
    StateSnapshot recovered = store == null ? null : store.recover();
    AllocatorServer server =
        new AllocatorServer(config, clock, credentials, tls, extensions, duties);
    if (store != null) {
      server.single =
          LeaderTerm.lead(config, clock, store, recovered, credentials, tls, extensions);
    }
    try {
      server.http.start();
    } catch (RuntimeException e) {
      server.http.close();
      if (server.single != null) {
        server.single.close();
      }
      throw new IllegalStateException(
          "cannot serve on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
    try {
      server.dns = server.startDns();
    } catch (RuntimeException e) {
      server.http.close();
      if (server.single != null) {
        server.single.close();
      }
      throw e;
    }
    if (store == null) {
      Candidacy candidacy =
          new Candidacy(
              new Candidacy.TermFactory(config, clock, credentials, tls, extensions),
              config.advertisedUrl(server.http.port()));
      try {
        server.candidacy = candidacy.start(server, duties);
      } catch (RuntimeException e) {
        server.http.close();
        throw e;
      }
    }
    LOG.info(
        "allocator{} serving on {}{}{}",
        config.cluster() == null ? "" : " of cluster " + config.cluster(),
        server.uri(),
        server.single == null
            ? " as a standby of the HA group at " + config.zookeeperUrl().orElseThrow()
            : " (allocation seed " + server.single.seed + ")",
        tls == null
            ? ""
            : ", TLS certificate " + tls.certificate().getSubjectX500Principal().getName());
    if (server.single != null) {
      if (server.single.tokens.configuredExpiresAt() != null) {
        LOG.info(
            "the configured join token is accepted until {}",
            server.single.tokens.configuredExpiresAt());
      }
      try {
        duties.lead(server);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }
    return server;
  }

  private DnsServer startDns() {
    if (!config.dnsEnabled()) {
      return null;
    }
    DnsServer.Authority authority =
        new DnsServer.Authority() {
          @Override
          public Zone zone() {
            LeaderTerm t = term();
            return t == null ? null : t.zones.snapshot().zone();
          }

          @Override
          public InetSocketAddress leader() {
            return leaderDns();
          }
        };
    try {
      return DnsServer.start(
          config.host(),
          config.dnsPort(),
          DnsNames.origin(LeaderTerm.ZONE),
          authority,
          Upstream.parse(config.dnsUpstream()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot serve DNS on "
              + config.host()
              + ":"
              + config.dnsPort()
              + " (UDP and TCP; dnsPort, or dnsEnabled: false): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Where a standby forwards queries for the zone: the leader's host (from its advertised URL) at
   * the leader's HTTP port plus the difference between this allocator's own DNS and HTTP ports. An
   * HA group whose allocators share the HTTP port so shares the DNS port (8600 everywhere); one on
   * a single machine ({@code strata up --ha}: HTTP ports P..P+2, DNS P+53..P+55) finds its leader's
   * too. Null while this one leads, while no leader is known, and if the target would be this
   * server itself.
   */
  private InetSocketAddress leaderDns() {
    LeaderView view = leader();
    DnsServer own = dns;
    if (view.isLeader() || view.leader() == null || own == null) {
      return null;
    }
    URI url = URI.create(view.leader());
    int port = url.getPort() + (own.port() - http.port());
    List<java.net.InetAddress> addresses = AgentAddresses.resolve(url.getHost());
    if (addresses.isEmpty() || port <= 0 || port > 65535) {
      return null;
    }
    InetSocketAddress target = new InetSocketAddress(addresses.get(0), port);
    return port == own.port() && self(target.getAddress()) ? null : target;
  }

  /** True if DNS queries to {@code a} at this server's port would reach this server. */
  private boolean self(java.net.InetAddress a) {
    List<java.net.InetAddress> bound = AgentAddresses.resolve(config.host());
    if (bound.isEmpty() || bound.get(0).isAnyLocalAddress()) {
      return local(a);
    }
    return bound.contains(a);
  }

  private static boolean local(java.net.InetAddress a) {
    try {
      return a.isLoopbackAddress()
          || a.isAnyLocalAddress()
          || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (java.net.SocketException e) {
      return false;
    }
  }

  /** The port of the DNS server (UDP and TCP); -1 if it is off. */
  public int dnsPort() {
    DnsServer d = dns;
    return d == null ? -1 : d.port();
  }

  /** The cluster-wide key the generated viewer and frameworks tokens derive from, if any. */
  private static byte[] clusterKey(AllocatorConfig config, ServerTls tls) {
    if (tls != null && tls.caKey() != null) {
      return JoinTokens.derive(tls.caKey());
    }
    return config.tokenKeyFile() == null
        ? null
        : JoinTokens.sharedKey(java.nio.file.Path.of(config.tokenKeyFile()));
  }

  /**
   * Starts an allocator: with the embedded journal in {@code config.dataDir()}, or as one of the HA
   * group at {@code config.zookeeper()} (a standby until elected).
   */
  public static AllocatorServer start(AllocatorConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts an allocator whose timeouts follow {@code clock} (tests control time with it). */
  public static AllocatorServer start(AllocatorConfig config, Clock clock) {
    return start(config, clock, List.of());
  }

  /**
   * Starts an allocator on another state store; it takes ownership of it. Not for an HA group
   * ({@code zookeeper} set), whose allocators make a new store each time they rejoin the election.
   */
  public static AllocatorServer start(AllocatorConfig config, Clock clock, StateStore store) {
    if (config.zookeeper() != null) {
      store.close();
      throw new IllegalArgumentException(
          "an allocator with zookeeper set makes its own ZooKeeper stores");
    }
    return start(config, clock, store, List.of(), LeaderDuties.NONE);
  }

  /** Starts an allocator that also serves {@code extensions} on its port. */
  public static AllocatorServer start(
      AllocatorConfig config, Clock clock, List<HttpExtension> extensions) {
    return start(config, clock, extensions, LeaderDuties.NONE);
  }

  /**
   * Starts an allocator that serves {@code extensions} on its port and runs {@code duties} while it
   * leads (always, without ZooKeeper).
   */
  public static AllocatorServer start(
      AllocatorConfig config, Clock clock, List<HttpExtension> extensions, LeaderDuties duties) {
    StateStore store =
        config.zookeeper() != null
            ? null
            : new EmbeddedJournal(config.dataPath().resolve(JOURNAL_DIR), config.snapshotEvery());
    return start(config, clock, store, extensions, duties);
  }

  private static AllocatorServer start(
      AllocatorConfig config,
      Clock clock,
      StateStore store,
      List<HttpExtension> extensions,
      LeaderDuties duties) {
    try {
      return build(config, clock, store, List.copyOf(extensions), duties);
    } catch (RuntimeException e) {
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  static List<Route> extensionRoutes(HttpExtension extension) {
    io.javalin.http.Handler handler =
        ctx -> {
          AllocatorConfig.Principal p = HttpApi.principal(ctx);
          HttpExtension.Answer a =
              extension.handle(
                  ctx.method().name(), ctx.path(), ctx.bodyAsBytes(), p == null ? null : p.name());
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
    out.add(
        config.dnsEnabled()
            ? "DNS: zone strata. on "
                + config.host()
                + ":"
                + config.dnsPort()
                + " (UDP, TCP), TTL "
                + config.dnsTtlSeconds()
                + " s, other names "
                + (config.dnsUpstream() == null
                    ? "refused"
                    : "forwarded to " + config.dnsUpstream())
            : "DNS: off");
    if (config.tokenKeyFile() != null) {
      JoinTokens.sharedKey(java.nio.file.Path.of(config.tokenKeyFile()));
      out.add("token key: " + config.tokenKeyFile());
    }
    if (config.zookeeper() != null) {
      out.add(
          "high availability: state in "
              + config.zookeeperUrl().orElseThrow()
              + " (session "
              + config.zookeeperSessionTimeoutMillis()
              + " ms), advertised as "
              + config.advertisedUrl(config.port()));
    }
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
   * acknowledges nothing more and must be restarted (recovery rebuilds it from the journal). One of
   * an HA group recovers by itself (it steps down and rejoins the election): always true until
   * closed.
   */
  public boolean healthy() {
    LeaderTerm t = single;
    return candidacy != null ? !closed : t != null && t.healthy();
  }

  /**
   * The frameworks in the state while this allocator leads (what {@code GET /v1/frameworks} shows);
   * empty while it does not.
   */
  public List<io.strata.api.operator.FrameworkView> frameworks() {
    LeaderTerm t = term();
    return t == null ? List.of() : t.master.views().frameworks();
  }

  /** True while this allocator leads and serves the whole API. */
  public boolean isLeader() {
    return term() != null;
  }

  public Credentials credentials() {
    return credentials;
  }

  /** Who may do what (the configured ACLs and the principals' settings). */
  public Authorizer authorizer() {
    return authorizer;
  }

  /** The seed of the current term's allocator core; -1 while not leading. */
  public long allocationSeed() {
    LeaderTerm t = term();
    return t == null ? -1 : t.seed;
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
    Candidacy c = candidacy;
    if (c != null) {
      c.close(); // steps down (duties stopped, streams closed), leaves the election
    } else if (single != null) {
      duties.stopLeading();
      single.master.closeStreams();
    }
    http.close();
    if (dns != null) {
      dns.close();
    }
    if (single != null) {
      single.close();
      single.store.close();
    }
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

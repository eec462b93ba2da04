package io.strata.allocator.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.auth.ServerTls;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.dns.AgentAddresses;
import io.strata.allocator.server.dns.DnsNames;
import io.strata.allocator.server.dns.ZoneCache;
import io.strata.allocator.server.http.AgentAccessApi;
import io.strata.allocator.server.http.AgentApi;
import io.strata.allocator.server.http.EndpointsApi;
import io.strata.allocator.server.http.HttpApi;
import io.strata.allocator.server.http.OperatorApi;
import io.strata.allocator.server.http.Route;
import io.strata.allocator.server.http.SchedulerApi;
import io.strata.allocator.server.http.StoreApi;
import io.strata.allocator.server.master.AllocationLoop;
import io.strata.allocator.server.master.Master;
import io.strata.allocator.server.master.Recovery;
import io.strata.allocator.server.master.ServerMetrics;
import io.strata.allocator.state.StateSnapshot;
import io.strata.allocator.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an allocator holds while it leads: the master rebuilt from the recovered state (as a restart
 * does), the token checks bound to it, the allocation loop, and the guarded handlers of its routes.
 * A single allocator has one term for its life; one of an HA group has one per time it is elected,
 * each on a new store, and drops the whole term when it stops leading.
 */
final class LeaderTerm implements AutoCloseable {
  /**
   * Derives the agents' access-token key (Ed25519) from the token key: the same on every leader.
   */
  static final String ACCESS_KEY_PURPOSE = "strata agent access key v1";

  /** The DNS zone the leader serves. */
  static final String ZONE = "strata.";

  final Master master;
  final StateStore store;
  final long seed;
  final JoinTokens tokens;

  /** The {@code strata.} zone and {@code GET /v1/endpoints}, from this term's master. */
  final ZoneCache zones;

  private final Map<String, Handler> handlers;
  private final AllocationLoop loop;

  private LeaderTerm(
      Master master,
      StateStore store,
      long seed,
      JoinTokens tokens,
      ZoneCache zones,
      Map<String, Handler> handlers,
      AllocationLoop loop) {
    this.master = master;
    this.store = store;
    this.seed = seed;
    this.tokens = tokens;
    this.zones = zones;
    this.handlers = handlers;
    this.loop = loop;
  }

  /**
   * Builds the master from {@code recovered} (the state {@code store.recover()} returned) and
   * starts the allocation loop. The term owns neither the store nor the HTTP server.
   */
  static LeaderTerm lead(
      AllocatorConfig config,
      Clock clock,
      StateStore store,
      StateSnapshot recovered,
      Credentials credentials,
      ServerTls tls,
      List<HttpExtension> extensions) {
    long seed =
        config.allocationSeed() != null ? config.allocationSeed() : new SecureRandom().nextLong();
    HierarchicalAllocator core =
        new HierarchicalAllocator(
            // Batching is the loop's job (in real time); the core allocates whenever asked.
            io.strata.allocator.core.AllocationSettings.DEFAULTS.withMinInterval(Duration.ZERO),
            seed);
    ServerMetrics metrics = new ServerMetrics();
    Master master =
        new Master(
            config,
            clock,
            store,
            core,
            metrics,
            AllocatorServer.authorizer(config, credentials),
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
    AgentAccessApi access = new AgentAccessApi(tokens.subkey(ACCESS_KEY_PURPOSE), clock);
    ZoneCache zones =
        new ZoneCache(
            () -> master.views().state(),
            AgentAddresses::of,
            DnsNames.origin(ZONE),
            config.dnsTtlSeconds(),
            Credentials.FRAMEWORKS,
            AgentAddresses.resolve(URI.create(config.advertisedUrl(config.port())).getHost()),
            System::nanoTime,
            ZoneCache.DEFAULT_REFRESH_NANOS);
    Map<String, Handler> handlers = new HashMap<>();
    for (Route r : routes(config, clock, master, tokens, access, metrics, tls, extensions, zones)) {
      handlers.put(
          key(r.method(), r.path()),
          HttpApi.guarded(r.guard(), credentials, tokens, master.authorizer, r.handler()));
    }
    AllocationLoop loop =
        new AllocationLoop(
                master,
                clock,
                AllocationLoop.tickMillisFor(config),
                config.allocationIntervalMillis())
            .start();
    return new LeaderTerm(master, store, seed, tokens, zones, Map.copyOf(handlers), loop);
  }

  /**
   * The routes a term serves, with their guards and handlers bound to its master. With a null
   * master (and tokens, metrics) only their methods and paths may be used: that is how a standby
   * registers them before it has a master ({@link #shapes}).
   */
  private static List<Route> routes(
      AllocatorConfig config,
      Clock clock,
      Master master,
      JoinTokens tokens,
      AgentAccessApi access,
      ServerMetrics metrics,
      ServerTls tls,
      List<HttpExtension> extensions,
      ZoneCache zones) {
    List<Route> routes = new ArrayList<>();
    routes.addAll(
        new AgentApi(
                master,
                config.agentHeartbeatIntervalMillis(),
                tokens,
                access.publicKey(),
                tls,
                clock)
            .routes());
    routes.addAll(access.routes());
    routes.addAll(new SchedulerApi(master, config.frameworkHeartbeatIntervalMillis()).routes());
    routes.addAll(new StoreApi(master).routes());
    routes.addAll(
        new OperatorApi(master, metrics, AllocatorServer.openApiDocument(), tokens).routes());
    routes.addAll(new EndpointsApi(zones).routes());
    for (HttpExtension extension : extensions) {
      routes.addAll(AllocatorServer.extensionRoutes(extension));
    }
    return routes;
  }

  /** "METHOD path" of every route a term serves, the same for every term of one allocator. */
  static List<String> shapes(
      AllocatorConfig config, Clock clock, ServerTls tls, List<HttpExtension> extensions) {
    // The key is never used: these routes are registered, never called.
    AgentAccessApi placeholder = new AgentAccessApi(new byte[32], clock);
    return routes(config, clock, null, null, placeholder, null, tls, extensions, null).stream()
        .map(r -> key(r.method(), r.path()))
        .toList();
  }

  static String key(String method, String path) {
    return method + " " + path;
  }

  /** Answers a request for the route {@code key} (authenticated and authorized as it requires). */
  void handle(String key, Context ctx) throws Exception {
    handlers.get(key).handle(ctx);
  }

  /** True while the master and its store can make changes durable. */
  boolean healthy() {
    return master.healthy();
  }

  /**
   * Ends the term: the allocation loop stops and every stream closes (agents and frameworks
   * reconnect, to whichever allocator leads then). The store is the caller's to close.
   */
  @Override
  public void close() {
    loop.close();
    master.closeStreams();
  }
}

package io.strata.allocator.server.dns;

import io.strata.api.AgentId;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.ServiceEndpoints;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * The zone of one leader's term, rebuilt from the master's state at most every {@code refreshNanos}
 * (so a burst of queries reads the state once, and a change shows within that time). The serial
 * grows whenever the records change.
 */
public final class ZoneCache {
  /** How stale an answer may be: a killed instance leaves the answers within this time. */
  public static final long DEFAULT_REFRESH_NANOS = 100_000_000L;

  /** One consistent result: the zone and the endpoints it was built from. */
  public record Snapshot(Zone zone, List<ServiceEndpoints> endpoints) {}

  private final Supplier<ClusterState> state;
  private final Function<AgentView, List<InetAddress>> addressBook;
  private final Name origin;
  private final long ttl;
  private final String trustedPrincipal;
  private final List<InetAddress> nameServer;
  private final LongSupplier nanoTime;
  private final long refreshNanos;

  private Snapshot current;
  private long builtAt;
  private long serial;

  /**
   * @param state reads the master's state (a consistent view, taken under its lock)
   * @param addressBook an agent's addresses (may block to resolve a name; see {@link
   *     AgentAddresses})
   */
  public ZoneCache(
      Supplier<ClusterState> state,
      Function<AgentView, List<InetAddress>> addressBook,
      Name origin,
      long ttl,
      String trustedPrincipal,
      List<InetAddress> nameServer,
      LongSupplier nanoTime,
      long refreshNanos) {
    this.state = state;
    this.addressBook = addressBook;
    this.origin = origin;
    this.ttl = ttl;
    this.trustedPrincipal = trustedPrincipal;
    this.nameServer = List.copyOf(nameServer);
    this.nanoTime = nanoTime;
    this.refreshNanos = refreshNanos;
  }

  /** The zone and endpoints, rebuilt first if older than the refresh interval. */
  public synchronized Snapshot snapshot() {
    long now = nanoTime.getAsLong();
    if (current == null || now - builtAt >= refreshNanos) {
      ClusterState s = state.get();
      Map<AgentId, List<InetAddress>> addresses = new HashMap<>();
      for (AgentView a : s.agents()) {
        addresses.put(a.id(), addressBook.apply(a));
      }
      List<ServiceEndpoints> endpoints = Endpoints.of(s, addresses, trustedPrincipal, origin);
      Zone next =
          Zone.of(
              origin, endpoints, s.agents(), addresses, nameServer, ttl, serial == 0 ? 1 : serial);
      if (current == null || !next.sameRecords(current.zone())) {
        serial = serial == 0 ? 1 : serial + 1;
        next = Zone.of(origin, endpoints, s.agents(), addresses, nameServer, ttl, serial);
      } else {
        next = current.zone(); // same records, same serial
      }
      current = new Snapshot(next, endpoints);
      builtAt = now;
    }
    return current;
  }
}

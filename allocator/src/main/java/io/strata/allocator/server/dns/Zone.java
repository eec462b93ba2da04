package io.strata.allocator.server.dns;

import io.strata.api.AgentId;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ServiceEndpoints;
import io.strata.api.operator.ServiceEndpoints.Instance;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * The records of the zone at one moment: an immutable value computed by {@link #of} from the
 * endpoints and the agents, with no I/O. Names without records of their own but with records below
 * them (e.g. {@code services.strata.}) exist (NOERROR, no data); every other name in the zone is
 * NXDOMAIN.
 */
public final class Zone {
  /** SOA timers (seconds): nobody transfers this zone; the negative-caching TTL is {@code ttl}. */
  private static final long REFRESH = 60;

  private static final long RETRY = 10;
  private static final long EXPIRE = 600;

  private final Name origin;
  private final long ttl;
  private final SOARecord soa;
  private final Map<Name, Map<Integer, Set<Record>>> records;
  private final Set<Name> names;

  private Zone(Name origin, long ttl, SOARecord soa, Map<Name, Map<Integer, Set<Record>>> records) {
    this.origin = origin;
    this.ttl = ttl;
    this.soa = soa;
    this.records = records;
    Set<Name> all = new HashSet<>();
    for (Name n : records.keySet()) {
      for (Name p = n; p.subdomain(origin) && all.add(p) && !p.equals(origin); ) {
        p = new Name(p, 1);
      }
    }
    all.add(origin);
    this.names = Collections.unmodifiableSet(all);
  }

  /**
   * The zone for these endpoints and agents.
   *
   * @param agents the agents; those ACTIVE, DRAINING or DRAINED get {@code <hostname>.agents}
   * @param addresses each agent's addresses (IPv4 as A, IPv6 as AAAA)
   * @param nameServer this allocator's addresses, for {@code ns.<zone>} (may be empty)
   * @param ttl the TTL of every record and of negative answers, in seconds
   * @param serial the SOA serial
   */
  public static Zone of(
      Name origin,
      List<ServiceEndpoints> endpoints,
      List<AgentView> agents,
      Map<AgentId, List<InetAddress>> addresses,
      List<InetAddress> nameServer,
      long ttl,
      long serial) {
    Map<Name, Map<Integer, Set<Record>>> records = new HashMap<>();
    Name ns = DnsNames.under(origin, DnsNames.NS);
    Name hostmaster = DnsNames.under(origin, "hostmaster");
    add(records, new NSRecord(origin, DClass.IN, ttl, ns));
    for (InetAddress a : nameServer) {
      add(records, address(ns, ttl, a));
    }
    for (AgentView agent : agents) {
      Name name = DnsNames.agent(origin, agent.info().hostname());
      if (name != null
          && (agent.state() == AgentState.ACTIVE
              || agent.state() == AgentState.DRAINING
              || agent.state() == AgentState.DRAINED)) {
        for (InetAddress a : addresses.getOrDefault(agent.id(), List.of())) {
          add(records, address(name, ttl, a));
        }
      }
    }
    for (ServiceEndpoints group : endpoints) {
      if (group.dnsName() == null) {
        continue; // no usable label
      }
      Name a = DnsNames.origin(group.dnsName());
      for (Instance i : group.instances()) {
        if (!i.serving()) {
          continue;
        }
        InetAddress address = Endpoints.preferred(addresses.getOrDefault(i.agentId(), List.of()));
        add(records, address(a, ttl, address));
        Name target = DnsNames.agent(origin, i.host());
        if (target == null || group.srvName() == null) {
          continue;
        }
        if (!records.containsKey(target)) {
          add(records, address(target, ttl, address)); // the agent is not ACTIVE, but serves
        }
        List<Integer> ports = i.ports();
        for (int p = 0; p < ports.size(); p++) {
          if (p == 0) {
            add(records, srv(DnsNames.origin(group.srvName()), ttl, ports.get(0), target));
          }
          Name indexed = indexed(group, p);
          if (indexed != null) {
            add(records, srv(indexed, ttl, ports.get(p), target));
          }
        }
      }
    }
    SOARecord soa =
        new SOARecord(origin, DClass.IN, ttl, ns, hostmaster, serial, REFRESH, RETRY, EXPIRE, ttl);
    return new Zone(origin, ttl, soa, records);
  }

  /** {@code _port<p>.} before the group's first-port SRV name. */
  private static Name indexed(ServiceEndpoints group, int p) {
    return DnsNames.under(DnsNames.origin(group.srvName()), "_port" + p);
  }

  private static Record address(Name name, long ttl, InetAddress a) {
    return a instanceof Inet4Address
        ? new ARecord(name, DClass.IN, ttl, a)
        : new AAAARecord(name, DClass.IN, ttl, (Inet6Address) a);
  }

  private static Record srv(Name name, long ttl, int port, Name target) {
    return new SRVRecord(name, DClass.IN, ttl, 0, 1, port, target);
  }

  private static void add(Map<Name, Map<Integer, Set<Record>>> records, Record r) {
    records
        .computeIfAbsent(r.getName(), n -> new HashMap<>())
        .computeIfAbsent(r.getType(), t -> new LinkedHashSet<>())
        .add(r);
  }

  public Name origin() {
    return origin;
  }

  public long ttl() {
    return ttl;
  }

  public SOARecord soa() {
    return soa;
  }

  /** True for a name in the zone that has records or names below it. */
  public boolean exists(Name name) {
    return names.contains(name);
  }

  /** The records of {@code type} at {@code name} ({@link Type#ANY}: all of them). */
  public List<Record> get(Name name, int type) {
    List<Record> out = new ArrayList<>();
    if (name.equals(origin) && (type == Type.SOA || type == Type.ANY)) {
      out.add(soa);
    }
    Map<Integer, Set<Record>> atName = records.getOrDefault(name, Map.of());
    if (type == Type.ANY) {
      atName.values().forEach(out::addAll);
    } else {
      out.addAll(atName.getOrDefault(type, Set.of()));
    }
    return out;
  }

  /** Every name with records of its own. */
  public Set<Name> names() {
    return Collections.unmodifiableSet(records.keySet());
  }

  /** True if both hold the same records (the SOA aside): the serial need not change. */
  public boolean sameRecords(Zone other) {
    return other != null && origin.equals(other.origin) && records.equals(other.records);
  }
}

package io.strata.allocator.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.CommandInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.HealthCheck;
import io.strata.api.Os;
import io.strata.api.PortRange;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.ServiceEndpoints;
import io.strata.api.operator.TaskView;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The record function and the answers, on random cluster states (seeded): what the zone holds is
 * exactly the serving instances, named as documented, and every answer follows from the zone.
 */
class DnsZoneTest {
  static final Name ORIGIN = DnsNames.origin("strata.");
  static final String TRUSTED = "strata-frameworks";
  static final long TTL = 4;
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final List<String> HOSTS = List.of("node-1", "Node_2.Example", "win-3", "---", "node-1");
  static final List<String> APPS = List.of("web", "api", "db");

  record Scenario(ClusterState state, Map<AgentId, List<InetAddress>> addresses) {}

  @Property(tries = 300)
  void theZoneHoldsExactlyTheServingInstances(@ForAll long seed) throws Exception {
    Scenario s = scenario(new Random(seed));
    List<ServiceEndpoints> endpoints = Endpoints.of(s.state(), s.addresses(), TRUSTED, ORIGIN);
    Zone zone = Zone.of(ORIGIN, endpoints, s.state().agents(), s.addresses(), List.of(), TTL, 7);

    Map<String, AgentView> agents = new HashMap<>();
    s.state().agents().forEach(a -> agents.put(a.id().value(), a));
    Map<String, FrameworkView> frameworks = new HashMap<>();
    s.state().frameworks().forEach(f -> frameworks.put(f.id().value(), f));
    for (String app : APPS) {
      Set<String> expectedA = new HashSet<>();
      Set<String> expectedSrv = new HashSet<>();
      Set<String> expectedPort1 = new HashSet<>();
      for (TaskView t : s.state().tasks()) {
        FrameworkView f = frameworks.get(t.frameworkId().value());
        boolean trusted =
            f.principal().equals(TRUSTED) && f.info().name().equals("strata-services");
        if (!trusted || !app.equals(t.task().labels().get("strata.app"))) {
          continue;
        }
        List<InetAddress> known = s.addresses().getOrDefault(t.agentId(), List.of());
        Boolean healthy = t.lastStatus().healthy();
        boolean serving =
            t.state() == TaskState.RUNNING
                && (t.task().healthCheck() == null
                    ? healthy != Boolean.FALSE
                    : healthy == Boolean.TRUE)
                && !known.isEmpty();
        if (!serving) {
          continue;
        }
        expectedA.add(known.get(0).getHostAddress()); // the generator puts IPv4 first
        String host = agents.get(t.agentId().value()).info().hostname();
        Name target = DnsNames.agent(ORIGIN, host);
        List<Integer> ports = Endpoints.ports(t);
        if (target != null && !ports.isEmpty()) {
          expectedSrv.add(ports.get(0) + " " + target);
          if (ports.size() > 1) {
            expectedPort1.add(ports.get(1) + " " + target);
          }
        }
      }
      Name a = Name.fromString(app + ".services.strata.");
      assertThat(addresses(zone.get(a, Type.A))).isEqualTo(expectedA);
      assertThat(srv(zone.get(Name.fromString("_" + app + "._tcp.services.strata."), Type.SRV)))
          .isEqualTo(expectedSrv);
      assertThat(
              srv(zone.get(Name.fromString("_port1._" + app + "._tcp.services.strata."), Type.SRV)))
          .isEqualTo(expectedPort1);
      assertThat(zone.exists(a)).isEqualTo(!expectedA.isEmpty());
    }
    for (Name n : zone.names()) {
      assertThat(n.subdomain(ORIGIN)).isTrue();
      for (Record r : zone.get(n, Type.ANY)) {
        assertThat(r.getTTL()).isEqualTo(TTL);
        if (r instanceof SRVRecord srv) {
          assertThat(
                  zone.get(srv.getTarget(), Type.A).size()
                      + zone.get(srv.getTarget(), Type.AAAA).size())
              .as("target of %s has an address", srv)
              .isPositive();
        }
      }
    }
    for (AgentView agent : s.state().agents()) {
      Name name = DnsNames.agent(ORIGIN, agent.info().hostname());
      boolean live =
          agent.state() == AgentState.ACTIVE
              || agent.state() == AgentState.DRAINING
              || agent.state() == AgentState.DRAINED;
      if (name != null && live) {
        for (InetAddress address : s.addresses().getOrDefault(agent.id(), List.of())) {
          int type = address.getAddress().length == 4 ? Type.A : Type.AAAA;
          assertThat(zone.get(name, type).stream().map(DnsZoneTest::rdata))
              .contains(address.getHostAddress());
        }
      }
    }
  }

  @Property(tries = 200)
  void answersFollowFromTheZone(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    Scenario s = scenario(random);
    List<ServiceEndpoints> endpoints = Endpoints.of(s.state(), s.addresses(), TRUSTED, ORIGIN);
    Zone zone = Zone.of(ORIGIN, endpoints, s.state().agents(), s.addresses(), List.of(), TTL, 7);
    List<Name> names = new ArrayList<>(zone.names());
    names.add(Name.fromString("nope.services.strata."));
    names.add(Name.fromString("services.strata."));
    names.add(Name.fromString("strata."));
    names.add(Name.fromString("example.com."));
    names.add(Name.fromString("WEB.Services.Strata."));
    int[] types = {Type.A, Type.AAAA, Type.SRV, Type.SOA, Type.NS, Type.TXT, Type.ANY};
    for (Name n : names) {
      int type = types[random.nextInt(types.length)];
      Message q = Message.newQuery(Record.newRecord(n, type, DClass.IN));
      Message r = Answers.answer(q, zone);
      assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
      assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
      if (!n.subdomain(ORIGIN)) {
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        continue;
      }
      assertThat(r.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(r.getRcode()).isEqualTo(zone.exists(n) ? Rcode.NOERROR : Rcode.NXDOMAIN);
      assertThat(r.getSection(Section.ANSWER))
          .containsExactlyInAnyOrderElementsOf(zone.get(n, type));
      if (r.getSection(Section.ANSWER).isEmpty()) {
        assertThat(r.getSection(Section.AUTHORITY)).containsExactly(zone.soa());
      }
      byte[] udp = r.toWire(512);
      assertThat(udp.length).isLessThanOrEqualTo(512);
    }
  }

  @Test
  void namesBecomeLabelsAsMesosDnsMakesThem() {
    assertThat(DnsNames.label("My Fw")).isEqualTo("my-fw");
    assertThat(DnsNames.label("cache.main")).isEqualTo("cache-main");
    assertThat(DnsNames.label("--x--")).isEqualTo("x");
    assertThat(DnsNames.label("___")).isEmpty();
    assertThat(DnsNames.label("a".repeat(70))).hasSize(63);
    assertThat(DnsNames.agent(ORIGIN, "Node_2.Example").toString())
        .isEqualTo("node-2.example.agents.strata.");
    assertThat(DnsNames.agent(ORIGIN, "---")).isNull();
  }

  @Test
  void theSerialGrowsOnlyWhenTheRecordsChange() throws Exception {
    Scenario s = scenario(new Random(3));
    long[] now = {0};
    ClusterState[] state = {s.state()};
    ZoneCache cache =
        new ZoneCache(
            () -> state[0],
            a -> s.addresses().getOrDefault(a.id(), List.of()),
            ORIGIN,
            TTL,
            TRUSTED,
            List.of(),
            () -> now[0],
            100);
    long first = cache.snapshot().zone().soa().getSerial();
    now[0] += 100;
    assertThat(cache.snapshot().zone().soa().getSerial()).isEqualTo(first);
    state[0] =
        new ClusterState(
            "x", T0, List.of(), List.of(), List.of(), List.of()); // every agent and task gone
    assertThat(cache.snapshot().zone().soa().getSerial()).isEqualTo(first); // not refreshed yet
    now[0] += 100;
    assertThat(cache.snapshot().zone().soa().getSerial()).isEqualTo(first + 1);
    assertThat(cache.snapshot().endpoints()).isEmpty();
  }

  static Scenario scenario(Random random) throws Exception {
    List<AgentView> agents = new ArrayList<>();
    Map<AgentId, List<InetAddress>> addresses = new HashMap<>();
    int agentCount = 1 + random.nextInt(5);
    for (int i = 0; i < agentCount; i++) {
      AgentId id = AgentId.of("A-" + i);
      AgentState state = AgentState.values()[random.nextInt(AgentState.values().length)];
      agents.add(
          new AgentView(
              id,
              new AgentInfo(
                  HOSTS.get(random.nextInt(HOSTS.size())),
                  random.nextBoolean() ? Os.LINUX : Os.WINDOWS,
                  "amd64",
                  ResourcePool.EMPTY,
                  Map.of(),
                  Set.of(),
                  null,
                  "test"),
              state,
              ResourcePool.EMPTY,
              ResourcePool.EMPTY,
              ResourcePool.EMPTY,
              0,
              T0,
              T0,
              null,
              Resources.EMPTY));
      List<InetAddress> known = new ArrayList<>();
      if (random.nextInt(5) > 0) {
        known.add(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) (i + 1)}));
        if (random.nextBoolean()) {
          known.add(InetAddress.getByName("fd00::" + (i + 1)));
        }
      }
      addresses.put(id, known);
    }
    List<FrameworkView> frameworks =
        List.of(
            framework("F-s", "strata-services", TRUSTED),
            framework("F-m", "strata-services", "mallory"),
            framework("F-j", "strata-jobs", TRUSTED),
            framework("F-o", "Other FW", "web"));
    List<TaskView> tasks = new ArrayList<>();
    int taskCount = random.nextInt(12);
    for (int i = 0; i < taskCount; i++) {
      FrameworkView f = frameworks.get(random.nextInt(frameworks.size()));
      AgentView agent = agents.get(random.nextInt(agents.size()));
      TaskState state = TaskState.values()[random.nextInt(TaskState.values().length)];
      int portCount = random.nextInt(4);
      int base = 31000 + 10 * i;
      PortRanges ports =
          portCount == 0
              ? PortRanges.EMPTY
              : PortRanges.of(new PortRange(base, base + portCount - 1));
      boolean checked = random.nextBoolean();
      Boolean healthy =
          switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> true;
            default -> false;
          };
      String app = APPS.get(random.nextInt(APPS.size()));
      TaskInfo info =
          new TaskInfo(
              TaskId.of("t-" + i),
              random.nextBoolean() ? "task " + i : null,
              CommandInfo.shell("x"),
              null,
              Resources.of(100, 1 << 20).withPorts(ports),
              null,
              null,
              null,
              null,
              Map.of("strata.app", app, "strata.job", app),
              checked ? HealthCheck.command("true", 1000) : null,
              null);
      TaskStatus status =
          new TaskStatus(
              info.taskId(),
              f.id(),
              agent.id(),
              state,
              null,
              null,
              TaskStatus.Source.AGENT,
              null,
              T0,
              healthy,
              null);
      tasks.add(new TaskView(f.id(), agent.id(), "r", info, state, status));
    }
    return new Scenario(new ClusterState("x", T0, agents, frameworks, tasks, List.of()), addresses);
  }

  static FrameworkView framework(String id, String name, String principal) {
    return new FrameworkView(
        FrameworkId.of(id),
        new FrameworkInfo(FrameworkId.of(id), name, null, Set.of("r"), null, null, null),
        principal,
        true,
        ResourcePool.EMPTY,
        0,
        0,
        Set.of(),
        T0,
        null);
  }

  static Set<String> addresses(List<Record> records) {
    Set<String> out = new HashSet<>();
    records.forEach(r -> out.add(((ARecord) r).getAddress().getHostAddress()));
    return out;
  }

  static Set<String> srv(List<Record> records) {
    Set<String> out = new HashSet<>();
    records.forEach(r -> out.add(((SRVRecord) r).getPort() + " " + ((SRVRecord) r).getTarget()));
    return out;
  }

  static String rdata(Record r) {
    return r instanceof ARecord a
        ? a.getAddress().getHostAddress()
        : ((org.xbill.DNS.AAAARecord) r).getAddress().getHostAddress();
  }
}

package io.strata.allocator.server.dns;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.PortRange;
import io.strata.api.TaskState;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.ServiceEndpoints;
import io.strata.api.operator.ServiceEndpoints.Instance;
import io.strata.api.operator.TaskView;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;

/**
 * Which instances stand behind which name: a pure function of the master's state (tasks, their
 * frameworks and agents) and the agents' resolved addresses. {@code GET /v1/endpoints} shows its
 * result; {@link Zone} turns it into records.
 *
 * <p>Tasks of the built-in services framework are grouped by their {@code strata.app} label, those
 * of the jobs framework by {@code strata.job}; every other task is grouped by its framework's name
 * and its own name, as Mesos-DNS does. The labels count only on frameworks of the built-in
 * frameworks' principal, so that no other framework can take over an app's name.
 */
public final class Endpoints {
  /** The built-in frameworks' names (workloads' ServicesFramework.NAME, JobsFramework.NAME). */
  public static final String SERVICES_FRAMEWORK = "strata-services";

  public static final String JOBS_FRAMEWORK = "strata-jobs";
  public static final String APP_LABEL = "strata.app";
  public static final String JOB_LABEL = "strata.job";

  private Endpoints() {}

  /**
   * The groups of active instances, sorted by kind and name.
   *
   * @param addresses each agent's addresses (an agent missing has none known)
   * @param trustedPrincipal the principal of the built-in frameworks
   */
  public static List<ServiceEndpoints> of(
      ClusterState state,
      Map<AgentId, List<InetAddress>> addresses,
      String trustedPrincipal,
      Name origin) {
    Map<FrameworkId, FrameworkView> frameworks = new HashMap<>();
    state.frameworks().forEach(f -> frameworks.put(f.id(), f));
    Map<AgentId, AgentView> agents = new HashMap<>();
    state.agents().forEach(a -> agents.put(a.id(), a));
    Map<Key, List<Instance>> groups = new TreeMap<>();
    for (TaskView t : state.tasks()) {
      if (t.state().isTerminal()) {
        continue;
      }
      FrameworkView f = frameworks.get(t.frameworkId());
      Key key = key(t, f, trustedPrincipal);
      AgentView agent = agents.get(t.agentId());
      List<InetAddress> known = addresses.getOrDefault(t.agentId(), List.of());
      InetAddress address = preferred(known);
      Boolean healthy = t.lastStatus() == null ? null : t.lastStatus().healthy();
      boolean checked = t.task().healthCheck() != null;
      boolean serving =
          t.state() == TaskState.RUNNING
              && (checked ? Boolean.TRUE.equals(healthy) : !Boolean.FALSE.equals(healthy))
              && address != null;
      groups
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(
              new Instance(
                  t.task().taskId(),
                  t.agentId(),
                  agent == null ? null : agent.info().hostname(),
                  address == null ? null : address.getHostAddress(),
                  ports(t),
                  t.state(),
                  healthy,
                  serving));
    }
    List<ServiceEndpoints> out = new ArrayList<>();
    groups.forEach(
        (k, instances) -> {
          instances.sort(Comparator.comparing(i -> i.taskId().value()));
          List<String> labels = k.labels();
          Name a = DnsNames.group(origin, k.kindLabel(), labels);
          Name srv = a == null ? null : DnsNames.srv(origin, k.kindLabel(), labels, null);
          out.add(
              new ServiceEndpoints(
                  k.kind,
                  k.name,
                  k.frameworkId,
                  a == null ? null : a.toString(),
                  srv == null ? null : srv.toString(),
                  instances));
        });
    return out;
  }

  /** The address an A answer gives first: IPv4 if there is one. */
  static InetAddress preferred(List<InetAddress> known) {
    return known.stream()
        .filter(x -> x instanceof Inet4Address)
        .findFirst()
        .orElse(known.isEmpty() ? null : known.get(0));
  }

  /** The task's host ports in the order the agent numbers them (PORT0, PORT1...). */
  static List<Integer> ports(TaskView t) {
    List<Integer> out = new ArrayList<>();
    for (PortRange r : t.task().resources().ports().ranges()) {
      for (int p = r.begin(); p <= r.end() && out.size() < 1000; p++) {
        out.add(p);
      }
    }
    return out;
  }

  private static Key key(TaskView t, FrameworkView f, String trustedPrincipal) {
    String frameworkName = f == null ? t.frameworkId().value() : f.info().name();
    boolean builtIn =
        f != null && trustedPrincipal != null && trustedPrincipal.equals(f.principal());
    Map<String, String> labels = t.task().labels();
    if (builtIn && SERVICES_FRAMEWORK.equals(frameworkName) && labels.containsKey(APP_LABEL)) {
      String app = labels.get(APP_LABEL);
      return new Key("service", app, t.frameworkId(), List.of(DnsNames.label(app)));
    }
    if (builtIn && JOBS_FRAMEWORK.equals(frameworkName) && labels.containsKey(JOB_LABEL)) {
      String job = labels.get(JOB_LABEL);
      return new Key("job", job, t.frameworkId(), List.of(DnsNames.label(job)));
    }
    return new Key(
        "task",
        frameworkName + "/" + t.task().name(),
        t.frameworkId(),
        List.of(DnsNames.label(t.task().name()), DnsNames.label(frameworkName)));
  }

  /**
   * @param labels the name's own labels, most specific first: [app] or [task, framework]
   */
  private record Key(String kind, String name, FrameworkId frameworkId, List<String> labels)
      implements Comparable<Key> {
    String kindLabel() {
      return switch (kind) {
        case "service" -> DnsNames.SERVICES;
        case "job" -> DnsNames.JOBS;
        default -> DnsNames.FRAMEWORKS;
      };
    }

    @Override
    public int compareTo(Key o) {
      return Comparator.comparing(Key::kind)
          .thenComparing(Key::name)
          .thenComparing(k -> k.frameworkId.value())
          .compare(this, o);
    }
  }
}

package io.strata.allocator.server.master;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.TaskState;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.RoleView;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The allocator's Prometheus metrics: allocation cycle time, offers made, declined, accepted and
 * rescinded, journal append latency, and (read at scrape time) tasks by state, agents by state,
 * connected frameworks and role shares.
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer cycle =
      Timer.builder("strata.allocation.cycle")
          .description("time of one allocation cycle of the core")
          .publishPercentiles(0.5, 0.99)
          .register(registry);
  private final Timer journal =
      Timer.builder("strata.journal.append")
          .description("time from append to durable for one change")
          .publishPercentiles(0.5, 0.99)
          .register(registry);
  private final Counter made = counter("strata.offers.made", "offers sent to frameworks");
  private final Counter declined = counter("strata.offers.declined", "offers declined");
  private final Counter accepted = counter("strata.offers.accepted", "offers accepted");
  private final Counter rescinded = counter("strata.offers.rescinded", "offers taken back");
  private final MultiGauge tasks =
      MultiGauge.builder("strata.tasks").description("tasks by state").register(registry);
  private final MultiGauge agents =
      MultiGauge.builder("strata.agents").description("agents by state").register(registry);
  private final MultiGauge frameworks =
      MultiGauge.builder("strata.frameworks")
          .description("frameworks by connection")
          .register(registry);
  private final MultiGauge shares =
      MultiGauge.builder("strata.role.dominant.share")
          .description("a role's dominant share divided by its weight")
          .register(registry);
  private volatile Supplier<Snapshot> source = () -> null;

  /** The gauges' values, read from the master under its lock at scrape time. */
  public record Snapshot(
      Map<TaskState, Integer> tasks,
      Map<AgentState, Integer> agents,
      int connected,
      int disconnected,
      List<RoleView> roles) {}

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  public void source(Supplier<Snapshot> supplier) {
    this.source = supplier;
  }

  void allocationCycle(long nanos) {
    cycle.record(nanos, TimeUnit.NANOSECONDS);
  }

  void journalAppended(long nanos) {
    journal.record(nanos, TimeUnit.NANOSECONDS);
  }

  void offersMade(int n) {
    made.increment(n);
  }

  void offersDeclined(int n) {
    declined.increment(n);
  }

  void offersAccepted(int n) {
    accepted.increment(n);
  }

  void offersRescinded(int n) {
    rescinded.increment(n);
  }

  public String scrape() {
    Snapshot s = source.get();
    if (s != null) {
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      s.tasks()
          .forEach((state, n) -> rows.add(MultiGauge.Row.of(Tags.of("state", state.name()), n)));
      tasks.register(rows, true);
      List<MultiGauge.Row<?>> agentRows = new ArrayList<>();
      s.agents()
          .forEach(
              (state, n) -> agentRows.add(MultiGauge.Row.of(Tags.of("state", state.name()), n)));
      agents.register(agentRows, true);
      frameworks.register(
          List.of(
              MultiGauge.Row.of(Tags.of("connected", "true"), s.connected()),
              MultiGauge.Row.of(Tags.of("connected", "false"), s.disconnected())),
          true);
      List<MultiGauge.Row<?>> roleRows = new ArrayList<>();
      for (RoleView r : s.roles()) {
        roleRows.add(MultiGauge.Row.of(Tags.of("role", r.name()), r.dominantShare()));
      }
      shares.register(roleRows, true);
    }
    return registry.scrape();
  }

  /** Counts the master's state; call under its lock. */
  public static Snapshot count(Master m) {
    Map<TaskState, Integer> byState = new EnumMap<>(TaskState.class);
    for (TaskState t : TaskState.values()) {
      byState.put(t, 0);
    }
    for (TaskRecord t : m.durable().tasks()) {
      byState.merge(t.latest().state(), 1, Integer::sum);
    }
    Map<AgentState, Integer> agentStates = new EnumMap<>(AgentState.class);
    for (AgentState a : AgentState.values()) {
      agentStates.put(a, 0);
    }
    m.agents.values().forEach(a -> agentStates.merge(a.state(), 1, Integer::sum));
    agentStates.put(AgentState.GONE, m.goneAgents.size());
    int connected = (int) m.frameworks.values().stream().filter(FrameworkEntry::connected).count();
    return new Snapshot(
        byState, agentStates, connected, m.frameworks.size() - connected, m.core.roles());
  }
}

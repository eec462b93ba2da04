package io.strata.allocator.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.master.MasterFoldPropertiesTest.RecordingStore;
import io.strata.allocator.server.master.MasterFoldPropertiesTest.Script;
import io.strata.allocator.server.master.MasterFoldPropertiesTest.StepClock;
import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateSnapshot;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The master as a reducer: random commands (those of {@link MasterFoldPropertiesTest}) against a
 * live master, each change checked as it is committed. A change is (now) → (events, messages):
 *
 * <ul>
 *   <li>after every command, replaying every emitted event onto the start state gives the live
 *       state (not only at the end);
 *   <li>time comes only from the change: the clock advances at every read, so an operation that
 *       read it would stamp an allocator-made status, a new task or a removal with another time
 *       than the change's {@code now};
 *   <li>messages are data that follow the events: each RunTask goes with the TaskAdded it launches,
 *       in order; each reliable UPDATE a framework is sent is a status this change recorded or a
 *       replay right after its SUBSCRIBED; each status recorded for a framework subscribed on the
 *       same stream before and after is sent to it; every message names a known agent or a
 *       framework's stream.
 * </ul>
 */
class MasterReducerPropertiesTest {

  /** A clock that moves 1 ms at every read: two reads never agree. */
  static final class TickingClock extends StepClock {
    @Override
    public Instant instant() {
      now = now.plusMillis(1);
      return now;
    }
  }

  @Provide
  Arbitrary<List<Integer>> commands() {
    return Arbitraries.integers().between(0, 99).list().ofMinSize(10).ofMaxSize(150);
  }

  @Property(tries = 40, seed = "20261208")
  void eachChangeIsAFunctionOfStateCommandAndNow(@ForAll("commands") List<Integer> script) {
    TickingClock clock = new TickingClock();
    AllocatorConfig config =
        AllocatorConfig.parse(
            "dataDir: "
                + Path.of("unused")
                + "\njoinToken: join-token-0123456789\nremovedIdsMaxCount: 1\n"
                + "agentUnreachableAfterMillis: 20000\nagentGoneAfterMillis: 60000\n");
    StateSnapshot start = new DurableState().snapshot();
    RecordingStore store = new RecordingStore(start);
    Master m = MasterFoldPropertiesTest.master(config, clock, store);
    Checks checks = new Checks(m);
    m.onCommit(checks::check);
    Recovery.rebuild(m, store.recover());
    Script run = new Script(m, clock);
    for (int step = 0; step < script.size(); step++) {
      run.step(script.get(step), step);
      assertThat(store.fold())
          .as("replaying the emitted events, after command %d", step)
          .isEqualTo(m.read(() -> m.durable().snapshot()));
    }
    assertThat(checks.changes).as("changes seen (recovery's at least)").isPositive();
  }

  /**
   * Nothing but the state, the command, the time and the id source decides a change: two masters
   * given the same commands, the same times and the same seeded ids emit the same events and the
   * same messages, change for change.
   */
  @Property(tries = 20, seed = "20261208")
  void theSameCommandsAtTheSameTimesGiveTheSameChanges(@ForAll("commands") List<Integer> script) {
    assertThat(changesOf(script)).isEqualTo(changesOf(script));
  }

  private static List<List<Object>> changesOf(List<Integer> script) {
    StepClock clock = new TickingClock();
    AllocatorConfig config =
        AllocatorConfig.parse(
            "dataDir: "
                + Path.of("unused")
                + "\njoinToken: join-token-0123456789\nremovedIdsMaxCount: 1\n"
                + "agentUnreachableAfterMillis: 20000\nagentGoneAfterMillis: 60000\n");
    RecordingStore store = new RecordingStore(new DurableState().snapshot());
    Master m = MasterFoldPropertiesTest.master(config, clock, store);
    java.util.Random seeded = new java.util.Random(7);
    m.useIds(() -> new java.util.UUID(seeded.nextLong(), seeded.nextLong()));
    List<List<Object>> changes = new ArrayList<>();
    m.onCommit(c -> changes.add(List.of(c.now(), List.copyOf(c.events()), c.outbound())));
    Recovery.rebuild(m, store.recover());
    Script run = new Script(m, clock);
    for (int step = 0; step < script.size(); step++) {
      run.step(script.get(step), step);
    }
    return changes;
  }

  /** Checks each committed change, under the master's lock. */
  static final class Checks {
    final Master m;
    final Set<AgentId> agentsEverKnown = new HashSet<>();
    final Set<FrameworkId> frameworksEverKnown = new HashSet<>();

    /** Each framework's stream after the previous change. */
    Map<FrameworkId, String> streamsBefore = new HashMap<>();

    int changes;

    Checks(Master m) {
      this.m = m;
    }

    void check(Change c) {
      changes++;
      Instant now = c.now();
      List<StateEvent> events = c.events();
      List<Outbound> out = c.outbound();
      agentsEverKnown.addAll(m.agents.keySet());
      frameworksEverKnown.addAll(m.frameworks.keySet());
      Map<FrameworkId, String> streamsAfter = new HashMap<>();
      m.frameworks.forEach(
          (id, f) -> {
            if (f.streamId != null) {
              streamsAfter.put(id, f.streamId);
            }
          });

      // Time comes from the change only.
      for (StateEvent e : events) {
        switch (e) {
          case StateEvent.TaskStatusChanged s
              when s.status().source() == TaskStatus.Source.ALLOCATOR ->
              assertThat(s.status().timestamp()).as("allocator-made %s", s).isEqualTo(now);
          case StateEvent.TaskAdded t ->
              assertThat(t.task().latest().timestamp()).as("%s", t).isEqualTo(now);
          case StateEvent.AgentRemoved r -> assertThat(r.at()).as("%s", r).isEqualTo(now);
          case StateEvent.FrameworkRemoved r -> assertThat(r.at()).as("%s", r).isEqualTo(now);
          default -> {}
        }
      }
      for (Outbound o : out) {
        if (o instanceof Outbound.ToFramework f
            && f.event() instanceof SchedulerEvent.Update u
            && u.status().uuid() == null) {
          assertThat(u.status().timestamp()).as("reconciliation answer %s", u).isEqualTo(now);
        }
      }

      // Every message names a known agent, or a framework's stream.
      for (Outbound o : out) {
        switch (o) {
          case Outbound.ToAgent a -> assertThat(agentsEverKnown).contains(a.agentId());
          case Outbound.EndAgentStream a -> assertThat(agentsEverKnown).contains(a.agentId());
          case Outbound.ToFramework f -> {
            assertThat(frameworksEverKnown).contains(f.frameworkId());
            assertThat(f.streamId()).isNotNull();
          }
          case Outbound.EndFrameworkStream f -> {
            assertThat(frameworksEverKnown).contains(f.frameworkId());
            assertThat(f.streamId()).isNotNull();
          }
        }
      }

      // RunTask follows TaskAdded, one for one, in order.
      List<String> added = new ArrayList<>();
      for (StateEvent e : events) {
        if (e instanceof StateEvent.TaskAdded t) {
          added.add(t.task().frameworkId() + "/" + t.task().taskId() + "@" + t.task().agentId());
        }
      }
      List<String> runs = new ArrayList<>();
      for (Outbound o : out) {
        if (o instanceof Outbound.ToAgent a && a.message() instanceof AgentMessage.RunTask r) {
          runs.add(r.frameworkId() + "/" + r.task().taskId() + "@" + a.agentId());
        }
      }
      assertThat(runs).as("RunTask messages vs TaskAdded events").isEqualTo(added);

      // Reliable updates sent: recorded in this change, or replayed after SUBSCRIBED.
      List<TaskStatus> recorded = new ArrayList<>();
      for (StateEvent e : events) {
        if (e instanceof StateEvent.TaskStatusChanged s) {
          recorded.add(s.status());
        }
      }
      Set<String> subscribedNow = new HashSet<>();
      List<TaskStatus> sentOnOldStreams = new ArrayList<>();
      for (Outbound o : out) {
        if (o instanceof Outbound.ToFramework f) {
          if (f.event() instanceof SchedulerEvent.Subscribed) {
            subscribedNow.add(f.streamId());
          } else if (f.event() instanceof SchedulerEvent.Update u && u.status().uuid() != null) {
            if (!subscribedNow.contains(f.streamId())) {
              assertThat(recorded).as("an UPDATE sent without cause").contains(u.status());
              sentOnOldStreams.add(u.status());
            }
          }
        }
      }
      // ... and each status recorded for a framework on the same stream before and after is sent.
      for (TaskStatus s : recorded) {
        String before = streamsBefore.get(s.frameworkId());
        if (before != null && before.equals(streamsAfter.get(s.frameworkId()))) {
          assertThat(sentOnOldStreams).as("status recorded, not sent: %s", s).contains(s);
        }
      }
      streamsBefore = streamsAfter;
    }
  }
}

package io.strata.allocator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.json.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold's handling of removed ids, and state written by older allocators. */
class DurableStateTest {

  @Test
  void aForgottenIdIsAcceptedAgain() {
    DurableState s = new DurableState();
    s.apply(new StateEvent.AgentRemoved(AgentId.of("a1"), StateEvents.T0));
    s.apply(new StateEvent.FrameworkRemoved(FrameworkId.of("f1"), StateEvents.T0));
    s.apply(new StateEvent.AgentUpserted(StateEvents.agent("a1")));
    s.apply(new StateEvent.FrameworkUpserted(StateEvents.framework("f1")));
    assertThat(s.snapshot().agents()).isEmpty();
    assertThat(s.snapshot().frameworks()).isEmpty();

    s.apply(new StateEvent.IdsForgotten(List.of(AgentId.of("a1")), List.of(FrameworkId.of("f1"))));
    assertThat(s.snapshot().goneAgents()).isEmpty();
    assertThat(s.snapshot().removedFrameworks()).isEmpty();
    s.apply(new StateEvent.AgentUpserted(StateEvents.agent("a1")));
    s.apply(new StateEvent.FrameworkUpserted(StateEvents.framework("f1")));
    assertThat(s.snapshot().agents()).hasSize(1);
    assertThat(s.snapshot().frameworks()).hasSize(1);
  }

  @Test
  void aRepeatedRemovalWithoutATimeKeepsTheFirstTime() {
    DurableState s = new DurableState();
    s.apply(new StateEvent.AgentRemoved(AgentId.of("a1"), StateEvents.T0));
    s.apply(new StateEvent.AgentRemoved(AgentId.of("a1"), null));
    assertThat(s.snapshot().goneAgents())
        .containsExactly(new GoneAgent(AgentId.of("a1"), StateEvents.T0));
  }

  @Test
  void stateWrittenBeforeRemovalsWereTimedAndSuppressionKeptStillReads() throws Exception {
    String snapshot =
        """
        {"agents":[],"goneAgents":["a1"],
         "frameworks":[{"id":"f1","info":{"id":"f1","name":"fw","roles":["web"]},
                        "principal":"admin","registeredAt":"2026-01-01T00:00:00Z"}],
         "removedFrameworks":["f2"],"tasks":[],"roles":[],"store":[]}
        """;
    StateSnapshot s = Codec.JSON.mapper().readValue(snapshot, StateSnapshot.class);
    assertThat(s.goneAgents()).containsExactly(new GoneAgent(AgentId.of("a1"), null));
    assertThat(s.removedFrameworks())
        .containsExactly(new RemovedFramework(FrameworkId.of("f2"), null));
    assertThat(s.frameworks().get(0).suppressedRoles()).isEmpty();

    StateEvent removed =
        Codec.JSON
            .mapper()
            .readValue("{\"type\":\"AGENT_REMOVED\",\"agentId\":\"a9\"}", StateEvent.class);
    assertThat(removed).isEqualTo(new StateEvent.AgentRemoved(AgentId.of("a9"), null));
  }

  @Test
  void aRevocationIsKeptWithTheGoneIdUntilItIsForgotten() {
    DurableState s = new DurableState();
    s.apply(new StateEvent.AgentUpserted(StateEvents.agent("a1")));
    s.apply(new StateEvent.AgentRemoved(AgentId.of("a1"), StateEvents.T0, true));
    s.apply(new StateEvent.AgentRemoved(AgentId.of("a2"), StateEvents.T0));
    StateSnapshot snap = s.snapshot();
    assertThat(snap.agents()).isEmpty();
    assertThat(snap.goneAgents())
        .containsExactly(
            new GoneAgent(AgentId.of("a1"), StateEvents.T0, true),
            new GoneAgent(AgentId.of("a2"), StateEvents.T0, false));
    // Through a snapshot and back, and forgotten with the id.
    DurableState again = DurableState.of(snap);
    assertThat(again.snapshot()).isEqualTo(snap);
    again.apply(new StateEvent.IdsForgotten(List.of(AgentId.of("a1")), List.of()));
    again.apply(new StateEvent.AgentRemoved(AgentId.of("a1"), StateEvents.T0));
    assertThat(again.snapshot().goneAgents())
        .contains(new GoneAgent(AgentId.of("a1"), StateEvents.T0, false));
  }

  @Test
  void anAgentRecordFromBeforeCredentialsWereStateReadsWithoutOne() throws Exception {
    String json =
        Codec.JSON
            .encode(StateEvents.agent("a1"))
            .replaceAll(",\\s*\"credentialSha256\"\\s*:\\s*\"[^\"]*\"", "");
    assertThat(json).doesNotContain("credentialSha256");
    AgentRecord old = Codec.JSON.mapper().readValue(json, AgentRecord.class);
    assertThat(old.credentialSha256()).isNull();
    assertThat(old.withState(old.state(), null, true).credentialSha256()).isNull();
    assertThat(StateEvents.agent("a1").withReservations(java.util.Map.of()).credentialSha256())
        .isEqualTo("sha256-of-a1");
  }
}

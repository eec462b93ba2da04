package io.strata.allocator.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.allocator.core.OfferGrant;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.master.MasterFoldPropertiesTest.RecordingStore;
import io.strata.allocator.server.master.MasterFoldPropertiesTest.StepClock;
import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.FrameworkRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.json.Codec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Frameworks' subscription order (the tie-break within a role) survives a restart: recovered from
 * {@code subscriptionOrder}, and for records of older versions (without it) from registration time,
 * then id, before every framework that has one.
 */
class RecoverySubscriptionOrderTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private final ObjectMapper json = Codec.JSON.mapper();

  @Test
  void oldRecordsRecoverByRegistrationThenIdAndBeforeNewOnes() throws Exception {
    DurableState state = new DurableState();
    // Written by a new version: subscribed after the old ones, whatever the ids.
    state.apply(upserted(record("aa-new-2", T0, 2)));
    state.apply(upserted(record("ab-new-1", T0, 1)));
    // Written by an older version: no subscriptionOrder in the JSON.
    state.apply(oldForm(record("zz-old-first", T0.minusSeconds(60), 0)));
    state.apply(oldForm(record("mm-old-tie-b", T0.minusSeconds(30), 0)));
    state.apply(oldForm(record("ma-old-tie-a", T0.minusSeconds(30), 0)));

    Master m = recovered(state);

    assertThat(servedInOrder(m, 5))
        .containsExactly("zz-old-first", "ma-old-tie-a", "mm-old-tie-b", "ab-new-1", "aa-new-2");
    assertThat(m.nextSubscriptionOrder()).isEqualTo(3);
  }

  @Test
  void anOldFormEventReadsAsOrderZero() throws Exception {
    StateEvent e = oldForm(record("f", T0, 0));
    assertThat(((StateEvent.FrameworkUpserted) e).framework().subscriptionOrder()).isZero();
    String written = json.writeValueAsString(upserted(record("f", T0, 7)));
    assertThat(written).contains("\"subscriptionOrder\":7");
  }

  private static Master recovered(DurableState state) {
    AllocatorConfig config =
        AllocatorConfig.parse(
            "dataDir: " + Path.of("unused") + "\njoinToken: join-token-0123456789\n");
    RecordingStore store = new RecordingStore(state.snapshot());
    Master m = MasterFoldPropertiesTest.master(config, new StepClock(), store);
    Recovery.rebuild(m, store.recover());
    return m;
  }

  /** Activates every framework, adds one agent, and records who is served as offers go round. */
  private static List<String> servedInOrder(Master m, int rounds) {
    List<String> served = new ArrayList<>();
    m.run(
        c -> {
          m.frameworks.keySet().forEach(m.core::activateFramework);
          ResourcePool total = new ResourcePool(Resources.parse("cpus:2;mem:1024"), Map.of());
          AgentId a = AgentId.of("a1");
          m.core.addAgent(
              a,
              new AgentInfo("a1", Os.LINUX, "amd64", total, null, null, null, null),
              total,
              Map.of());
          for (int i = 0; i < rounds; i++) {
            OfferGrant g = m.core.allocate(T0.plusSeconds(i)).get(0);
            served.add(g.frameworkId().value());
            m.core.recoverResources(
                g.frameworkId(), g.agentId(), g.role(), g.resources(), null, T0.plusSeconds(i));
          }
          return null;
        });
    return served;
  }

  private static FrameworkRecord record(String id, Instant registeredAt, long order) {
    FrameworkInfo info =
        new FrameworkInfo(FrameworkId.of(id), id, "user", Set.of("r"), null, 60_000L, null);
    return new FrameworkRecord(
        FrameworkId.of(id), info, "admin", registeredAt, registeredAt, Set.of(), order);
  }

  private static StateEvent upserted(FrameworkRecord r) {
    return new StateEvent.FrameworkUpserted(r);
  }

  /** The event as an older version wrote it: the same JSON without {@code subscriptionOrder}. */
  private StateEvent oldForm(FrameworkRecord r) throws Exception {
    ObjectNode tree = json.valueToTree(upserted(r));
    ((ObjectNode) tree.get("framework")).remove("subscriptionOrder");
    assertThat(tree.toString()).doesNotContain("subscriptionOrder");
    return json.treeToValue(tree, StateEvent.class);
  }
}

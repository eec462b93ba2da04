package io.strata.allocator.state.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateEvents;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;

/**
 * Random interleavings of appends and leadership changes (a clean handover, or a leader deposed
 * while it still believes it leads and then tries to write) end in the state a single store would
 * hold: the fold of exactly the acknowledged batches.
 */
class FailoverProperties {
  private static TestingServer server;
  private static CuratorFramework raw;

  @BeforeContainer
  static void startServer() throws Exception {
    server = ZooKeeperServers.single();
    raw = ZooKeeperServers.client(server.getConnectString());
  }

  @AfterContainer
  static void stopServer() throws Exception {
    raw.close();
    server.close();
  }

  sealed interface Step {}

  record Append(List<StateEvent> batch) implements Step {}

  record Failover(boolean deposed) implements Step {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> append = StateEvents.events().list().ofMaxSize(4).map(Append::new);
    Arbitrary<Step> failover = Arbitraries.of(true, false).map(Failover::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, append), net.jqwik.api.Tuple.of(1, failover))
        .list()
        .ofMinSize(8)
        .ofMaxSize(30);
  }

  @Property(tries = 10, seed = "20261207")
  void afterAnyFailoversTheStateIsTheFoldOfTheAcknowledgedBatches(
      @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 2, max = 6) int snapshotEvery)
      throws Exception {
    net.jqwik.api.statistics.Statistics.label("failovers")
        .collect(steps.stream().filter(Failover.class::isInstance).count());
    net.jqwik.api.statistics.Statistics.label("deposed")
        .collect(steps.stream().anyMatch(s -> s instanceof Failover f && f.deposed()));
    String root = ZooKeeperServers.newRoot();
    DurableState expected = new DurableState();
    int n = 0;
    ZooKeeperStore leader = open(root, "s" + n++, snapshotEvery);
    ZooKeeperStore standby = open(root, "s" + n++, snapshotEvery);
    try {
      leader.recover();
      standby.start();
      for (Step step : steps) {
        switch (step) {
          case Append a -> {
            a.batch().forEach(expected::apply);
            leader.append(a.batch()).join();
          }
          case Failover f -> {
            if (f.deposed()) {
              ZooKeeperStoreTest.expireInElection(raw, root, id(leader));
              assertThat(standby.recover()).isEqualTo(expected.snapshot());
              List<StateEvent> forked =
                  List.of(new StateEvent.AgentUpserted(StateEvents.agent("forked")));
              assertThat(leader.append(forked)).failsWithin(java.time.Duration.ofSeconds(30));
              leader.close();
            } else {
              leader.close();
              assertThat(standby.recover()).isEqualTo(expected.snapshot());
            }
            leader = standby;
            standby = open(root, "s" + n++, snapshotEvery);
            standby.start();
          }
        }
      }
    } finally {
      leader.close();
      standby.close();
    }
    try (ZooKeeperStore last = open(root, "last", snapshotEvery)) {
      assertThat(last.recover()).isEqualTo(expected.snapshot());
    }
  }

  private static ZooKeeperStore open(String root, String id, int snapshotEvery) {
    return new ZooKeeperStore(
        ZooKeeperServers.settingsAt(server.getConnectString(), root, id)
            .withSnapshotEvery(snapshotEvery));
  }

  private static String id(ZooKeeperStore s) {
    String t = s.toString();
    return t.substring(t.indexOf(" as ") + 4, t.length() - 1);
  }
}

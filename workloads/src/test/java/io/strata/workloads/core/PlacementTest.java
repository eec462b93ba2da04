package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.Quantities;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.workloads.core.PendingReason.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlacementTest {
  static final long GIB = Quantities.GIB;
  static final long MIB = Quantities.MIB;

  static Candidate offer(int n, Os os, long millicpus, long mem, Map<String, String> attributes) {
    return new Candidate(
        OfferId.of("o" + n),
        new AgentFacts(AgentId.of("a" + n), "host" + n, os, attributes),
        new Resources(millicpus, mem, 0, 0, PortRanges.range(31000, 31009)));
  }

  static Candidate linux(int n, long millicpus, long mem) {
    return offer(n, Os.LINUX, millicpus, mem, Map.of("zone", n % 2 == 0 ? "a" : "b"));
  }

  static TaskGroup group(String name, int count, long millicpus, long mem, List<Constraint> c) {
    return group(name, count, millicpus, mem, Os.LINUX, c, PlacementStrategy.SPREAD);
  }

  static TaskGroup group(
      String name,
      int count,
      long millicpus,
      long mem,
      Os os,
      List<Constraint> c,
      PlacementStrategy strategy) {
    List<TaskId> ids = IntStream.range(0, count).mapToObj(i -> TaskId.of(name + "." + i)).toList();
    return new TaskGroup(name, ids, Resources.of(millicpus, mem), 1, os, c, strategy);
  }

  @Test
  void spreadsOverAgentsAndGivesEachTaskItsOwnPort() {
    List<Candidate> offers =
        List.of(linux(1, 4000, 4 * GIB), linux(2, 4000, 4 * GIB), linux(3, 4000, 4 * GIB));
    PlacementResult r =
        Placement.place(offers, List.of(group("web", 3, 500, 256 * MIB, List.of())), Map.of());
    assertThat(r.unplaced()).isEmpty();
    assertThat(r.launches()).hasSize(3);
    r.launches().values().forEach(list -> assertThat(list).hasSize(1));
    assertThat(r.launches().get(OfferId.of("o1")).get(0).resources().ports())
        .isEqualTo(PortRanges.range(31000, 31000));
  }

  @Test
  void binpackFillsOneAgentFirst() {
    List<Candidate> offers = List.of(linux(1, 4000, 4 * GIB), linux(2, 2000, 2 * GIB));
    PlacementResult r =
        Placement.place(
            offers,
            List.of(group("b", 3, 500, 256 * MIB, Os.LINUX, List.of(), PlacementStrategy.BINPACK)),
            Map.of());
    assertThat(r.launches()).containsOnlyKeys(OfferId.of("o2"));
    assertThat(r.launches().get(OfferId.of("o2"))).hasSize(3);
  }

  @Test
  void windowsAppsOnlyGoToWindowsAgents() {
    List<Candidate> offers =
        List.of(
            linux(1, 4000, 4 * GIB),
            offer(2, Os.WINDOWS, 4000, 4 * GIB, Map.of()),
            linux(3, 4000, 4 * GIB));
    PlacementResult r =
        Placement.place(
            offers,
            List.of(
                group("win", 2, 500, 256 * MIB, Os.WINDOWS, List.of(), PlacementStrategy.SPREAD)),
            Map.of());
    assertThat(r.launches()).containsOnlyKeys(OfferId.of("o2"));
    assertThat(r.launches().get(OfferId.of("o2"))).hasSize(2);
  }

  @Test
  void noWindowsAgentIsTheReason() {
    List<Candidate> offers =
        List.of(linux(1, 4000, 4 * GIB), linux(2, 4000, 4 * GIB), linux(3, 4000, 4 * GIB));
    PlacementResult r =
        Placement.place(
            offers,
            List.of(
                group("win", 1, 500, 256 * MIB, Os.WINDOWS, List.of(), PlacementStrategy.SPREAD)),
            Map.of());
    assertThat(r.unplaced().get(TaskId.of("win.0")))
        .extracting(PendingReason::code, PendingReason::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Code.OS_MISMATCH, "no agent with os=windows (3 agents known)"));
  }

  @Test
  void insufficientMemoryNamesTheLargestFree() {
    List<Candidate> offers =
        List.of(linux(1, 4000, 512 * MIB), linux(2, 4000, 256 * MIB), linux(3, 4000, 128 * MIB));
    PlacementResult r =
        Placement.place(offers, List.of(group("big", 1, 100, GIB, List.of())), Map.of());
    assertThat(r.unplaced().get(TaskId.of("big.0")))
        .extracting(PendingReason::message)
        .containsExactly("insufficient memory on all 3 agents: largest free 512 MiB < 1 GiB");
  }

  @Test
  void uniqueHostCountsRunningTasksAndExplains() {
    List<Candidate> offers =
        List.of(linux(1, 4000, 4 * GIB), linux(2, 4000, 4 * GIB), linux(3, 4000, 4 * GIB));
    Map<String, List<AgentId>> running = Map.of("web", List.of(AgentId.of("a1"), AgentId.of("a2")));
    PlacementResult r =
        Placement.place(
            offers,
            List.of(group("web", 2, 100, 64 * MIB, List.of(Constraint.unique("hostname")))),
            running);
    assertThat(r.launches()).containsOnlyKeys(OfferId.of("o3"));
    assertThat(r.unplaced().get(TaskId.of("web.1")))
        .extracting(PendingReason::message)
        .containsExactly("constraint unique host: all 3 agents already used");
  }

  @Test
  void equalsAndMaxPerAndGroupBy() {
    List<Candidate> offers = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      offers.add(linux(i, 8000, 8 * GIB));
    }
    PlacementResult eq =
        Placement.place(
            offers,
            List.of(group("z", 4, 100, 64 * MIB, List.of(Constraint.equalTo("zone", "a")))),
            Map.of());
    assertThat(eq.launches()).containsOnlyKeys(OfferId.of("o2"), OfferId.of("o4"));

    PlacementResult max =
        Placement.place(
            offers,
            List.of(group("m", 6, 100, 64 * MIB, List.of(Constraint.maxPer("zone", 2)))),
            Map.of());
    assertThat(max.placedCount()).isEqualTo(4);
    assertThat(max.unplaced().get(TaskId.of("m.5")))
        .extracting(PendingReason::message)
        .containsExactly("constraint at most 2 per zone: all 4 agents at the limit");

    PlacementResult by =
        Placement.place(
            offers,
            List.of(
                group(
                    "g",
                    5,
                    100,
                    64 * MIB,
                    Os.LINUX,
                    List.of(Constraint.groupBy("zone")),
                    PlacementStrategy.BINPACK)),
            Map.of("g", List.of(AgentId.of("a1"))));
    long zoneA =
        by.launches().entrySet().stream()
            .filter(e -> List.of("o2", "o4").contains(e.getKey().value()))
            .mapToLong(e -> e.getValue().size())
            .sum();
    assertThat(zoneA).isEqualTo(3); // a1 (zone b) already holds one: 3 in a, 2+1 in b
  }

  @Test
  void agentsWithoutAnOfferAreExplainedAsWaiting() {
    Candidate known =
        new Candidate(
            null,
            new AgentFacts(AgentId.of("a9"), "h9", Os.LINUX, Map.of()),
            new Resources(8000, 8 * GIB, 0, 0, PortRanges.range(31000, 31010)));
    PlacementResult r =
        Placement.place(
            List.of(linux(1, 100, 64 * MIB), known),
            List.of(group("w", 1, 1000, GIB, List.of())),
            Map.of());
    assertThat(r.unplaced().get(TaskId.of("w.0")))
        .extracting(PendingReason::code)
        .containsExactly(Code.INSUFFICIENT_CPUS, Code.INSUFFICIENT_MEMORY, Code.NO_CURRENT_OFFER);
  }

  @Test
  void nothingKnownMeansNoOffers() {
    PlacementResult r =
        Placement.place(List.of(), List.of(group("w", 1, 100, MIB, List.of())), Map.of());
    assertThat(r.unplaced().get(TaskId.of("w.0")))
        .extracting(PendingReason::code)
        .containsExactly(Code.NO_OFFERS);
  }

  @Test
  void portsRunOut() {
    Candidate few =
        new Candidate(
            OfferId.of("o1"),
            new AgentFacts(AgentId.of("a1"), "h1", Os.LINUX, Map.of()),
            new Resources(8000, 8 * GIB, 0, 0, PortRanges.range(31000, 31001)));
    PlacementResult r =
        Placement.place(List.of(few), List.of(group("p", 3, 100, MIB, List.of())), Map.of());
    assertThat(r.placedCount()).isEqualTo(2);
    assertThat(r.unplaced().get(TaskId.of("p.2")))
        .extracting(PendingReason::message)
        .containsExactly("insufficient ports on the only agent: largest free 0 < 1");
  }
}

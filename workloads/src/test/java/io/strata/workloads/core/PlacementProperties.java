package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.OfferId;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.Quantities;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Placement on random clusters, groups and constraints: it never over-commits an offer (resources
 * and ports), never breaks a constraint or the OS, and accounts for every task (placed, or unplaced
 * with a reason).
 */
class PlacementProperties {
  static final String[] ZONES = {"z1", "z2", "z3"};
  static final String[] RACKS = {"r1", "r2", "r3", "r4", "r5"};

  @Property(tries = 400)
  void neverOvercommitsNorBreaksAConstraint(
      @ForAll @IntRange(min = 0, max = 25) int agentCount,
      @ForAll @IntRange(min = 1, max = 5) int groupCount,
      @ForAll long seed) {
    Random random = new Random(seed);
    List<Candidate> candidates = new ArrayList<>();
    Map<AgentId, Candidate> byAgent = new HashMap<>();
    for (int i = 0; i < agentCount; i++) {
      Map<String, String> attributes = new HashMap<>();
      attributes.put("zone", ZONES[random.nextInt(ZONES.length)]);
      if (random.nextInt(4) > 0) {
        attributes.put("rack", RACKS[random.nextInt(RACKS.length)]);
      }
      int portBase = 31000 + random.nextInt(100);
      Candidate c =
          new Candidate(
              random.nextInt(5) == 0 ? null : OfferId.of("o" + i),
              new AgentFacts(
                  AgentId.of("a" + i),
                  "host" + random.nextInt(Math.max(1, agentCount)), // some agents share a host
                  random.nextInt(4) == 0 ? Os.WINDOWS : Os.LINUX,
                  attributes),
              new Resources(
                  random.nextInt(8001),
                  random.nextLong(8 * Quantities.GIB + 1),
                  random.nextLong(4 * Quantities.GIB + 1),
                  random.nextInt(3),
                  random.nextBoolean()
                      ? PortRanges.range(portBase, portBase + random.nextInt(20))
                      : PortRanges.EMPTY));
      candidates.add(c);
      byAgent.put(c.agent().agentId(), c);
    }
    List<TaskGroup> groups = new ArrayList<>();
    Map<String, List<AgentId>> running = new HashMap<>();
    Set<TaskId> allTasks = new HashSet<>();
    for (int g = 0; g < groupCount; g++) {
      String name = "g" + g;
      List<TaskId> tasks = new ArrayList<>();
      int n = random.nextInt(40);
      for (int t = 0; t < n; t++) {
        tasks.add(TaskId.of(name + "." + t));
      }
      allTasks.addAll(tasks);
      List<Constraint> constraints = new ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        Constraint c = randomConstraint(random);
        if (!constraints.contains(c)) {
          constraints.add(c);
        }
      }
      groups.add(
          new TaskGroup(
              name,
              tasks,
              new Resources(
                  1 + random.nextInt(2000),
                  random.nextLong(2 * Quantities.GIB),
                  random.nextInt(3) == 0 ? random.nextLong(Quantities.GIB) : 0,
                  random.nextInt(6) == 0 ? 1 : 0,
                  null),
              random.nextInt(3),
              random.nextInt(4) == 0 ? Os.WINDOWS : Os.LINUX,
              constraints,
              random.nextBoolean() ? PlacementStrategy.SPREAD : PlacementStrategy.BINPACK));
      if (agentCount > 0) {
        List<AgentId> existing = new ArrayList<>();
        for (int e = random.nextInt(4); e > 0; e--) {
          existing.add(AgentId.of("a" + random.nextInt(agentCount)));
        }
        running.put(name, existing);
      }
    }

    PlacementResult result = Placement.place(candidates, groups, running);

    // Every task is placed or explained, never both.
    Set<TaskId> placed = new HashSet<>();
    result
        .launches()
        .values()
        .forEach(list -> list.forEach(a -> assertThat(placed.add(a.task())).isTrue()));
    for (TaskId t : allTasks) {
      assertThat(placed.contains(t) ^ result.unplaced().containsKey(t)).as(t.value()).isTrue();
      if (!placed.contains(t)) {
        assertThat(result.unplaced().get(t)).isNotEmpty();
      }
    }

    // No offer is over-committed; ports are the offer's and not shared.
    Map<String, TaskGroup> groupOf = new HashMap<>();
    groups.forEach(g -> g.tasks().forEach(t -> groupOf.put(t.value(), g)));
    for (Candidate c : candidates) {
      if (c.offerId() == null) {
        continue;
      }
      List<Assignment> list = result.launches().getOrDefault(c.offerId(), List.of());
      Resources used = Resources.EMPTY;
      for (Assignment a : list) {
        assertThat(a.agent()).isEqualTo(c.agent().agentId());
        assertThat(used.ports().intersect(a.resources().ports()).isEmpty()).isTrue();
        assertThat(a.resources().ports().count()).isEqualTo(groupOf.get(a.task().value()).ports());
        used = used.plus(a.resources());
      }
      assertThat(c.free().contains(used)).as("offer %s over-committed", c.offerId()).isTrue();
    }
    result.launches().keySet().forEach(o -> assertThat(o).isNotNull());

    // OS and constraints hold, counting the tasks already running.
    for (TaskGroup g : groups) {
      Map<String, Map<String, Integer>> counts = new HashMap<>();
      Map<String, Map<String, Integer>> added = new HashMap<>();
      for (AgentId a : running.getOrDefault(g.group(), List.of())) {
        for (Constraint c : g.constraints()) {
          String v = byAgent.get(a).agent().attribute(c.attribute());
          if (v != null) {
            counts.computeIfAbsent(c.toString(), k -> new HashMap<>()).merge(v, 1, Integer::sum);
          }
        }
      }
      for (List<Assignment> list : result.launches().values()) {
        for (Assignment a : list) {
          if (!groupOf.get(a.task().value()).equals(g)) {
            continue;
          }
          AgentFacts facts = byAgent.get(a.agent()).agent();
          assertThat(facts.os()).isEqualTo(g.os());
          for (Constraint c : g.constraints()) {
            String v = facts.attribute(c.attribute());
            switch (c.operator()) {
              case EQUALS -> assertThat(v).isEqualTo(c.value());
              case LIKE -> assertThat(v != null && Pattern.matches(c.value(), v)).isTrue();
              case UNLIKE -> assertThat(v == null || !Pattern.matches(c.value(), v)).isTrue();
              default -> {
                assertThat(v).isNotNull();
                counts
                    .computeIfAbsent(c.toString(), k -> new HashMap<>())
                    .merge(v, 1, Integer::sum);
                added.computeIfAbsent(c.toString(), k -> new HashMap<>()).merge(v, 1, Integer::sum);
              }
            }
          }
        }
      }
      for (Constraint c : g.constraints()) {
        int limit =
            switch (c.operator()) {
              case UNIQUE -> 1;
              case MAX_PER -> c.max();
              default -> Integer.MAX_VALUE;
            };
        Map<String, Integer> addedHere = added.getOrDefault(c.toString(), Map.of());
        addedHere.forEach(
            (value, n) ->
                assertThat(counts.get(c.toString()).get(value))
                    .as("%s on %s", c, value)
                    .isLessThanOrEqualTo(limit));
      }
    }
  }

  private static Constraint randomConstraint(Random random) {
    String attribute =
        switch (random.nextInt(3)) {
          case 0 -> "zone";
          case 1 -> "rack";
          default -> "hostname";
        };
    return switch (random.nextInt(6)) {
      case 0 -> Constraint.equalTo(attribute, "z1");
      case 1 -> Constraint.like(attribute, "z[12]|r.*|host[0-4]");
      case 2 -> new Constraint(attribute, Constraint.Operator.UNLIKE, "r1|z3");
      case 3 -> Constraint.unique(attribute);
      case 4 -> Constraint.groupBy(attribute);
      default -> Constraint.maxPer(attribute, 1 + random.nextInt(3));
    };
  }

  /** With room everywhere, GROUP_BY keeps the values within one task of each other. */
  @Property(tries = 200)
  void groupByBalancesWhenThereIsRoom(
      @ForAll @IntRange(min = 1, max = 60) int tasks,
      @ForAll @IntRange(min = 2, max = 12) int agents) {
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      candidates.add(
          new Candidate(
              OfferId.of("o" + i),
              new AgentFacts(AgentId.of("a" + i), "h" + i, Os.LINUX, Map.of("zone", ZONES[i % 3])),
              Resources.of(1_000_000, 1_000 * Quantities.GIB)));
    }
    List<TaskId> ids = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      ids.add(TaskId.of("g." + t));
    }
    TaskGroup g =
        new TaskGroup(
            "g",
            ids,
            Resources.of(100, Quantities.MIB),
            0,
            Os.LINUX,
            List.of(Constraint.groupBy("zone")),
            PlacementStrategy.BINPACK);
    PlacementResult r = Placement.place(candidates, List.of(g), Map.of());
    Map<String, Integer> perZone = new HashMap<>();
    r.launches()
        .forEach(
            (offer, list) ->
                perZone.merge(
                    ZONES[Integer.parseInt(offer.value().substring(1)) % 3],
                    list.size(),
                    Integer::sum));
    int zones = Math.min(3, agents);
    int min =
        perZone.size() < zones ? 0 : perZone.values().stream().min(Integer::compare).orElse(0);
    int max = perZone.values().stream().max(Integer::compare).orElse(0);
    assertThat(max - min).isLessThanOrEqualTo(1);
    assertThat(r.placedCount()).isEqualTo(tasks);
  }
}

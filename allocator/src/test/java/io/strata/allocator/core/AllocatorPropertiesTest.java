package io.strata.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Laws that hold whatever happens: random scenarios, checked after every step. */
class AllocatorPropertiesTest {

  /**
   * Offers never over-commit an agent, the allocator's allocations are exactly what the grants and
   * recoveries imply, and free + allocated == total on every agent whose total holds its
   * allocations. On an agent that was given a smaller total than its allocations (over-committed),
   * nothing beyond the total is free: free is part of the total, free + allocated exceeds the total
   * in no quantity the allocations did not already exceed, and no port is both free and held.
   */
  @Property(tries = 150)
  void accountingIsExact(@ForAll long seed, @ForAll @IntRange(min = 20, max = 120) int steps) {
    RandomScenario s = new RandomScenario(seed, seed ^ 0x5DEECE66DL);
    s.onCycle = c -> checkAccounting(s);
    s.run(steps);
    checkAccounting(s);
  }

  private static void checkAccounting(RandomScenario s) {
    HierarchicalAllocator alloc = s.allocator;
    for (AgentId a : s.agents.keySet()) {
      ResourcePool total = alloc.agentTotal(a);
      ResourcePool free = alloc.agentAvailable(a);
      ResourcePool allocated = alloc.agentAllocated(a);
      if (total.contains(allocated)) {
        assertThat(free.plus(allocated))
            .as("free + allocated on %s\n%s", a, s.log)
            .isEqualTo(total);
        assertThat(alloc.agentOvercommitted(a).isEmpty()).isTrue();
        continue;
      }
      assertThat(total.contains(free))
          .as("free %s within %s on %s\n%s", free, total, a, s.log)
          .isTrue();
      long[] f = Scalars.of(free);
      long[] u = Scalars.of(allocated);
      long[] t = Scalars.of(total);
      for (int i = 0; i < Scalars.N; i++) {
        assertThat(f[i] + u[i])
            .as("quantity %d free + allocated on over-committed %s\n%s", i, a, s.log)
            .isLessThanOrEqualTo(Math.max(t[i], u[i]));
      }
      assertThat(free.total().ports().intersect(allocated.total().ports()).isEmpty())
          .as("ports free and held on %s\n%s", a, s.log)
          .isTrue();
      assertThat(alloc.agentOvercommitted(a))
          .isEqualTo(allocated.total().minusClamped(total.total()));
    }
    for (FrameworkId f : s.frameworks.keySet()) {
      assertThat(alloc.frameworkAllocations(f))
          .as("holdings of %s", f)
          .isEqualTo(s.expectedHoldings(f));
    }
    for (io.strata.api.operator.RoleView v : alloc.roles()) {
      assertThat(alloc.role(v.name())).contains(v);
      ResourcePool expected = ResourcePool.EMPTY;
      for (Object[] h : s.holdings()) {
        if (io.strata.api.Roles.isSelfOrDescendant((String) h[2], v.name())) {
          expected = expected.plus((ResourcePool) h[3]);
        }
      }
      assertThat(v.allocated()).as("allocated to %s", v.name()).isEqualTo(expected);
    }
  }

  /**
   * The sorter's cached order is the order fresh shares give (after a flush), and exactly the
   * clients that want offers are in it: incremental repositioning and re-keying lose nothing.
   */
  @Property(tries = 100)
  void theCachedSortOrderIsTheFreshOne(@ForAll long seed) {
    RandomScenario s = new RandomScenario(seed, seed);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      s.step();
      RoleTree tree = s.allocator.state().roles;
      tree.flush();
      checkSorted(tree, tree.root, problems);
      for (Framework f : s.allocator.state().frameworks.values()) {
        for (Client c : f.clients.values()) {
          if (c.wantsOffers() != c.role.clients.contains(c)) {
            problems.add(
                c + " wants offers: " + c.wantsOffers() + ", in its sorter: " + !c.wantsOffers());
          }
        }
      }
    }
    assertThat(problems).as("%s\n%s", problems, s.log).isEmpty();
  }

  private static void checkSorted(RoleTree tree, RoleNode node, List<String> problems) {
    List<SortEntry> order = new ArrayList<>(node.order);
    for (SortEntry e : order) {
      double fresh =
          e instanceof RoleNode n
              ? Scalars.share(n.shareNumerator(), tree.clusterTotal, n.weight)
              : Scalars.share(
                  ((RoleNode.SelfLeaf) e).owner.ownShareNumerator(),
                  tree.clusterTotal,
                  ((RoleNode.SelfLeaf) e).owner.weight);
      if (fresh != e.keyShare) {
        problems.add(node + ": stale key " + e.keyName + " " + e.keyShare + " != " + fresh);
      }
    }
    for (int i = 1; i < order.size(); i++) {
      if (SortEntry.ORDER.compare(order.get(i - 1), order.get(i)) >= 0) {
        problems.add(node + ": out of order at " + i);
      }
    }
    List<Client> clients = new ArrayList<>(node.clients);
    for (int i = 0; i < clients.size(); i++) {
      Client c = clients.get(i);
      if (!c.wantsOffers()) {
        problems.add(c + " is in the sorter but wants no offers");
      }
      if (Scalars.share(c.allocated, tree.clusterTotal, 1.0) != c.keyShare) {
        problems.add(c + ": stale key");
      }
      if (i > 0 && SortEntry.ORDER.compare(clients.get(i - 1), c) >= 0) {
        problems.add(node + ": clients out of order at " + i);
      }
    }
    if (clients.size() != node.activeClients) {
      problems.add(node + ": " + clients.size() + " clients, count says " + node.activeClients);
    }
    for (RoleNode child : node.children.values()) {
      checkSorted(tree, child, problems);
    }
  }

  /** Grants made in one cycle on one agent are disjoint and come out of what was free. */
  @Property(tries = 150)
  void grantsOnAnAgentAreDisjointAndWereFree(@ForAll long seed) {
    RandomScenario s = new RandomScenario(seed, seed);
    List<String> problems = new ArrayList<>();
    s.onCycle =
        c -> {
          Map<AgentId, ResourcePool> sum = new TreeMap<>();
          Map<String, Integer> perKey = new TreeMap<>();
          for (OfferGrant g : c.grants()) {
            sum.merge(g.agentId(), g.resources(), ResourcePool::plus);
            perKey.merge(g.frameworkId() + "/" + g.role() + "/" + g.agentId(), 1, Integer::sum);
            if (g.resources().isEmpty()) {
              problems.add("empty grant " + g);
            }
          }
          sum.forEach(
              (a, granted) -> {
                if (!c.availableBefore().get(a).contains(granted)) {
                  problems.add(a + ": granted " + granted + " of " + c.availableBefore().get(a));
                }
              });
          perKey.forEach(
              (k, n) -> {
                if (n > 1) {
                  problems.add("two grants for " + k);
                }
              });
        };
    s.run(100);
    assertThat(problems).as("%s\n%s", problems, s.log).isEmpty();
  }

  /** The same seed and the same events give the same grants. */
  @Property(tries = 60)
  void sameSeedSameOffers(@ForAll long seed) {
    RandomScenario first = new RandomScenario(seed, 99);
    List<List<OfferGrant>> a = new ArrayList<>();
    first.onCycle = c -> a.add(c.grants());
    first.run(80);
    RandomScenario second = new RandomScenario(seed, 99);
    List<List<OfferGrant>> b = new ArrayList<>();
    second.onCycle = c -> b.add(c.grants());
    second.run(80);
    assertThat(b).isEqualTo(a);
  }

  /**
   * Cycles are incremental but miss nothing: right after a cycle, a forced cycle over every agent
   * (as Mesos' periodic allocation would run) finds nothing more to offer.
   */
  @Property(tries = 150)
  void incrementalCyclesMissNothing(@ForAll long seed) {
    RandomScenario s = new RandomScenario(seed, seed + 1);
    List<String> problems = new ArrayList<>();
    s.onCycle =
        c -> {
          s.allocator.reconsiderAllAgents();
          List<OfferGrant> more = s.allocator.allocate(s.now);
          if (!more.isEmpty()) {
            problems.add("a full cycle still found " + more);
            for (OfferGrant g : more) {
              s.allocator.recoverResources(
                  g.frameworkId(), g.agentId(), g.role(), g.resources(), null, null);
            }
          }
        };
    s.run(100);
    assertThat(problems).as("%s\n%s", problems, s.log).isEmpty();
  }

  /** A cycle never takes a role beyond its quota limit (it may stay above one set after). */
  @Property(tries = 150)
  void quotaLimitsAreNeverExceededByACycle(@ForAll long seed) {
    RandomScenario s = new RandomScenario(seed, seed);
    List<String> problems = new ArrayList<>();
    Map<String, long[]> before = new TreeMap<>();
    s.onCycle =
        c -> {
          for (String role : List.of("a", "b", "c")) {
            QuotaLimit q = s.allocator.quotaLimit(role);
            if (q.isNone()) {
              continue;
            }
            long[] limit = q.scalars();
            long[] now = s.consumption(role);
            long[] was = before.getOrDefault(role, Scalars.zero());
            for (int i = 0; i < Scalars.N; i++) {
              if (now[i] > limit[i] && now[i] > was[i]) {
                problems.add(role + " went from " + was[i] + " to " + now[i] + " over " + limit[i]);
              }
            }
          }
        };
    for (int i = 0; i < 100; i++) {
      for (String role : List.of("a", "b", "c")) {
        before.put(role, s.consumption(role));
      }
      s.step();
    }
    assertThat(problems).as("%s\n%s", problems, s.log).isEmpty();
  }

  /**
   * Headroom is respected: if the unreserved, unallocated resources covered every unmet guarantee
   * before a cycle, they still do after it.
   */
  @Property(tries = 150)
  void headroomForUnmetGuaranteesIsKept(@ForAll long seed) {
    RandomScenario s = new RandomScenario(seed, seed);
    List<String> problems = new ArrayList<>();
    long[][] surplusBefore = new long[1][];
    s.onCycle =
        c -> {
          long[] after = surplus(s);
          for (int i = 0; i < Scalars.N; i++) {
            if (surplusBefore[0][i] >= 0 && after[i] < 0) {
              problems.add(
                  "headroom " + i + " went from " + surplusBefore[0][i] + " to " + after[i]);
            }
          }
        };
    for (int i = 0; i < 100; i++) {
      surplusBefore[0] = surplus(s);
      s.step();
    }
    assertThat(problems).as("%s\n%s", problems, s.log).isEmpty();
  }

  /** Free unreserved resources minus the unmet guarantees of top-level roles, per quantity. */
  private static long[] surplus(RandomScenario s) {
    long[] free = Scalars.zero();
    for (AgentId a : s.agents.keySet()) {
      Scalars.add(free, s.allocator.agentAvailable(a).unreserved());
    }
    for (String role : List.of("a", "b", "c")) {
      Resources g = s.allocator.quota(role).guarantee();
      long[] unmet = Scalars.minusClamped(Scalars.of(g), s.consumption(role));
      Scalars.subtract(free, unmet);
    }
    return free;
  }
}

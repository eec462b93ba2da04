package io.strata.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The per-agent filter table: a hash table with bit summaries, checked against a plain map. */
class AgentFiltersTest {
  private static final ResourcePool SMALL = Fixture.pool("cpus:1;mem:512");
  private static final ResourcePool BIG = Fixture.pool("cpus:2;mem:1024");

  @Property(tries = 200)
  void behavesLikeAMapOfClientsToExpiries(@ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    AgentFilters table = new AgentFilters();
    Map<Integer, Long> model = new HashMap<>();
    long now = 0;
    for (int step = 0; step < 400; step++) {
      int client = random.nextInt(300);
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          long expires = now + random.nextInt(1, 1000);
          table.add(client, BIG, expires);
          model.merge(client, expires, Math::max);
        }
        case 2 -> {
          boolean had = table.remove(client);
          assertThat(had).isEqualTo(model.remove(client) != null);
        }
        default -> {
          now += random.nextInt(200);
          long t = now;
          table.expire(t);
          model.values().removeIf(e -> e <= t);
        }
      }
      assertThat(table.size()).isEqualTo(model.size());
      if (step % 10 != 0) {
        continue;
      }
      for (int c = 0; c < 300; c++) {
        assertThat(table.get(c) != null).as("client %d", c).isEqualTo(model.containsKey(c));
        assertThat(table.blocks(c, SMALL)).isEqualTo(model.containsKey(c));
      }
    }
  }

  @Test
  void aFilterBlocksOnlySubsetsOfWhatWasRefused() {
    AgentFilters table = new AgentFilters();
    table.add(3, SMALL, 100);
    assertThat(table.blocks(3, SMALL)).isTrue();
    assertThat(table.blocks(3, Fixture.pool("cpus:0.5;mem:100"))).isTrue();
    assertThat(table.blocks(3, BIG)).isFalse();
    assertThat(table.blocks(4, SMALL)).isFalse();
  }

  @Test
  void coverageHoldsOnlyWhileTheFreeResourcesStayWithinTheBasis() {
    AgentFilters table = new AgentFilters();
    table.add(7, BIG, 100);
    table.ensureCoverage(BIG, c -> BIG);
    assertThat(table.isCovered(7)).isTrue();
    assertThat(table.coveredCount()).isEqualTo(1);
    table.ensureCoverage(SMALL, c -> SMALL);
    assertThat(table.isCovered(7)).isTrue();
    ResourcePool bigger = ResourcePool.unreserved(Resources.parse("cpus:3;mem:1024"));
    table.ensureCoverage(bigger, c -> bigger);
    assertThat(table.isCovered(7)).isFalse();
    assertThat(table.coveredCount()).isZero();
  }

  @Test
  void aWiderLongerFilterReplacesANarrowerOne() {
    AgentFilters table = new AgentFilters();
    table.add(1, SMALL, 100);
    table.add(1, BIG, 200);
    assertThat(table.get(1).next).isNull();
    table.add(1, SMALL, 50);
    assertThat(table.get(1).next).isNull();
    table.add(1, SMALL, 500);
    assertThat(table.get(1).next).isNotNull();
    assertThat(table.expire(300)).isEmpty();
    assertThat(table.blocks(1, BIG)).isFalse();
    assertThat(table.blocks(1, SMALL)).isTrue();
  }
}

package io.strata.allocator.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RemovedIdsTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void theOldestAreForgottenByAgeThenByCount() {
    RemovedIds<String> ids = new RemovedIds<>();
    for (int i = 0; i < 5; i++) {
      ids.add("id" + i, T0.plusSeconds(i));
    }
    Duration week = Duration.ofDays(7);
    assertThat(ids.forget(T0.plusSeconds(10), week, 10)).isEmpty();
    assertThat(ids.forget(T0.plusSeconds(10), week, 3)).containsExactly("id0", "id1");
    // Removed at or before now - maxAge.
    assertThat(ids.forget(T0.plus(week).plusSeconds(3), week, 3)).containsExactly("id2", "id3");
    assertThat(ids.contains("id4")).isTrue();
    assertThat(ids.size()).isEqualTo(1);
  }

  @Test
  void removingAgainMakesAnIdTheNewest() {
    RemovedIds<String> ids = new RemovedIds<>();
    ids.add("a", T0);
    ids.add("b", T0.plusSeconds(1));
    ids.add("a", T0.plusSeconds(2));
    assertThat(ids.forget(T0.plusSeconds(3), Duration.ofDays(1), 1)).containsExactly("b");
  }
}

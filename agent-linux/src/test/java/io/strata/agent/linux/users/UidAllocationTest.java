package io.strata.agent.linux.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
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
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class UidAllocationTest {
  static final UidRange SMALL = new UidRange(10_000, 10_007);

  @Provide
  Arbitrary<List<String>> keys() {
    return Arbitraries.strings()
        .withChars("abcdef/")
        .ofMinLength(1)
        .ofMaxLength(3)
        .list()
        .ofMaxSize(40);
  }

  /**
   * Any sequence of launches, with any uids in use when the range is full: no two keys ever hold
   * one uid, every uid is in the range, a key keeps its uid until it is taken back, and only a uid
   * not in use is taken back.
   */
  @Property
  void neverTwoKeysOnOneUid(
      @ForAll("keys") List<String> launches, @ForAll @IntRange(min = 0, max = 8) int busyCount) {
    UidAllocation a = UidAllocation.empty(SMALL);
    Set<Integer> busy = new HashSet<>();
    for (int i = 0; i < busyCount; i++) {
      busy.add(SMALL.first() + i);
    }
    for (String key : launches) {
      UidAllocation before = a;
      UidAllocation.Result r = a.assign(key, () -> busy);
      if (r instanceof UidAllocation.Assigned got) {
        a = got.next();
        assertThat(SMALL.contains(got.uid())).isTrue();
        assertThat(a.uidOf(key)).contains(got.uid());
        before.uidOf(key).ifPresent(old -> assertThat(got.uid()).isEqualTo(old));
        got.reclaimedFrom()
            .ifPresent(
                loser -> {
                  assertThat(busy).doesNotContain(got.uid());
                  assertThat(before.uidOf(loser)).contains(got.uid());
                });
      } else {
        assertThat(before.uids()).hasSize((int) SMALL.size());
        assertThat(busy).containsAll(before.uids().values());
      }
      assertThat(new HashSet<>(a.uids().values())).hasSize(a.uids().size());
    }
  }

  /** What is persisted and read back (the restart) gives every key the uid it had. */
  @Property
  void stableAcrossReload(@ForAll("keys") List<String> launches) {
    UidAllocation a = UidAllocation.empty(UidRange.DEFAULT);
    Map<String, Integer> given = new HashMap<>();
    for (String key : launches) {
      UidAllocation.Assigned got = (UidAllocation.Assigned) a.assign(key, Set::of);
      a = got.next();
      given.putIfAbsent(key, got.uid());
      assertThat(got.uid()).isEqualTo(given.get(key));
    }
    UidAllocation reloaded = UidAllocation.restore(UidRange.DEFAULT, a.uids());
    assertThat(reloaded).isEqualTo(a);
    for (String key : launches) {
      assertThat(((UidAllocation.Assigned) reloaded.assign(key, Set::of)).uid())
          .isEqualTo(given.get(key));
    }
  }

  @Test
  void newKeysGetTheLowestFreeUid() {
    UidAllocation a = UidAllocation.restore(SMALL, Map.of("x", 10_000, "y", 10_002));
    UidAllocation.Assigned z = (UidAllocation.Assigned) a.assign("z", Set::of);
    assertThat(z.uid()).isEqualTo(10_001);
    assertThat(z.reclaimedFrom()).isEmpty();
  }

  @Test
  void aFullRangeTakesBackTheLowestUidNotInUseOrSaysWhy() {
    UidAllocation full = UidAllocation.empty(new UidRange(10_000, 10_001));
    full = ((UidAllocation.Assigned) full.assign("x", Set::of)).next();
    full = ((UidAllocation.Assigned) full.assign("y", Set::of)).next();

    UidAllocation.Assigned z = (UidAllocation.Assigned) full.assign("z", () -> Set.of(10_000));
    assertThat(z.uid()).isEqualTo(10_001);
    assertThat(z.reclaimedFrom()).contains("y");
    assertThat(z.next().uids()).isEqualTo(Map.of("x", 10_000, "z", 10_001));

    UidAllocation.Result none = full.assign("z", () -> Set.of(10_000, 10_001));
    assertThat(none).isInstanceOf(UidAllocation.Exhausted.class);
    assertThat(((UidAllocation.Exhausted) none).message())
        .contains("every uid of the agent's task range 10000-10001")
        .contains("linux.taskUids");
  }

  @Test
  void aChangedRangeForgetsTheUidsOutsideIt() {
    UidAllocation a =
        UidAllocation.restore(SMALL, Map.of("in", 10_003, "out", 20_000, "dup", 10_003));
    assertThat(a.uids()).hasSize(1).containsValue(10_003);
    assertThatThrownBy(() -> new UidAllocation(SMALL, Map.of("a", 10_001, "b", 10_001)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesAreParsedAndChecked() {
    assertThat(UidRange.parse("10000-19999")).isEqualTo(UidRange.DEFAULT);
    assertThat(UidRange.parse(" 5000 - 5000 ").size()).isEqualTo(1);
    for (String bad : List.of("", "10000", "0-5000", "999-2000", "3000-2000", "1000-99999999999")) {
      assertThatThrownBy(() -> UidRange.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("(was '" + bad + "')");
    }
  }

  @Test
  void theKeyIsTheFrameworkAndItsAppOrJob() {
    TaskInfo plain = TaskInfo.command(TaskId.of("t"), "true", Resources.of(100, 0));
    TaskInfo app = withLabels(Map.of("strata.app", "web"));
    TaskInfo job = withLabels(Map.of("strata.job", "web"));
    FrameworkId fw = FrameworkId.of("fw");
    assertThat(
            Set.of(IsolationKey.of(fw, plain), IsolationKey.of(fw, app), IsolationKey.of(fw, job)))
        .hasSize(3);
    // Labels may hold '/': escaped, one app's key never reads as another app's or job's.
    assertThat(IsolationKey.of(fw, withLabels(Map.of("strata.app", "x/job/y"))))
        .isEqualTo("fw/app/x\\/job\\/y");
  }

  private static TaskInfo withLabels(Map<String, String> labels) {
    return new TaskInfo(
        TaskId.of("t"),
        null,
        io.strata.api.CommandInfo.shell("true"),
        null,
        Resources.of(100, 0),
        null,
        null,
        null,
        null,
        labels,
        null,
        null);
  }
}

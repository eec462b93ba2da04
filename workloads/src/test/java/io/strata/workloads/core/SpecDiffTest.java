package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecDiffTest {
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }

  @Test
  void identicalTreesHaveNoChanges() {
    Map<String, Object> a = map("id", "web", "resources", map("mem", "64Mi"), "args", list("x"));
    assertThat(SpecDiff.diff(a, SpecDiff.normalize(a))).isEmpty();
  }

  @Test
  void nestedFieldsAreChangedAddedAndRemovedByPath() {
    Map<String, Object> a =
        map(
            "id",
            "web",
            "command",
            "run v1",
            "resources",
            map("cpus", "0.5", "mem", "64Mi"),
            "env",
            map("A", "1", "OLD", "x"));
    Map<String, Object> b =
        map(
            "id", "web",
            "command", "run v2",
            "resources", map("cpus", "0.5", "mem", "128Mi", "disk", "1Gi"),
            "env", map("A", "1"),
            "user", "nobody");
    assertThat(SpecDiff.diff(a, b))
        .containsExactly(
            FieldChange.changed("command", "run v1", "run v2"),
            FieldChange.changed("resources.mem", "64Mi", "128Mi"),
            FieldChange.added("resources.disk", "1Gi"),
            FieldChange.removed("env.OLD", "x"),
            FieldChange.added("user", "nobody"));
  }

  @Test
  void listsCompareByIndexAndRemoveFromTheEnd() {
    Map<String, Object> a = map("args", list("a", "b", "c", "d"));
    Map<String, Object> b = map("args", list("a", "B"));
    List<FieldChange> d = SpecDiff.diff(a, b);
    assertThat(d)
        .containsExactly(
            FieldChange.changed("args[1]", "b", "B"),
            FieldChange.removed("args[3]", "d"),
            FieldChange.removed("args[2]", "c"));
    assertThat(SpecDiff.apply(a, d)).isEqualTo(b);
    assertThat(SpecDiff.diff(b, a))
        .containsExactly(
            FieldChange.changed("args[1]", "B", "b"),
            FieldChange.added("args[2]", "c"),
            FieldChange.added("args[3]", "d"));
  }

  @Test
  void objectsInListsDiffFieldByField() {
    Map<String, Object> a =
        map("constraints", list(map("attribute", "zone", "operator", "EQUALS", "value", "z1")));
    Map<String, Object> b =
        map("constraints", list(map("attribute", "zone", "operator", "EQUALS", "value", "z2")));
    assertThat(SpecDiff.diff(a, b))
        .containsExactly(FieldChange.changed("constraints[0].value", "z1", "z2"));
  }

  @Test
  void aNullValueCountsAsAbsent() {
    Map<String, Object> a = map("id", "web", "user", null);
    assertThat(SpecDiff.diff(a, map("id", "web"))).isEmpty();
    assertThat(SpecDiff.diff(map("id", "web"), map("id", "web", "user", "u")))
        .containsExactly(FieldChange.added("user", "u"));
  }

  @Test
  void aValueChangingTypeIsOneChangeOfTheWholeValue() {
    assertThat(SpecDiff.diff(map("x", "1"), map("x", map("y", 1))))
        .containsExactly(FieldChange.changed("x", "1", map("y", 1)));
    assertThat(SpecDiff.diff(map("x", list(1)), map("x", 1)))
        .containsExactly(FieldChange.changed("x", list(1), 1));
  }

  @Test
  void keysThatAreNotPlainAreQuotedAndApplyBack() {
    Map<String, Object> a = map("labels", map("app.kubernetes.io/name", "a", "q\"\\[", "1"));
    Map<String, Object> b = map("labels", map("app.kubernetes.io/name", "b", "q\"\\[", "2"));
    List<FieldChange> d = SpecDiff.diff(a, b);
    assertThat(d)
        .extracting(FieldChange::path)
        .containsExactly("labels[\"app.kubernetes.io/name\"]", "labels[\"q\\\"\\\\[\"]");
    assertThat(SpecDiff.apply(a, d)).isEqualTo(b);
  }

  @Test
  void fromNothingEveryTopLevelFieldIsAdded() {
    Map<String, Object> b = map("id", "web", "resources", map("mem", "1Gi"));
    assertThat(SpecDiff.diff(Map.of(), b))
        .containsExactly(
            FieldChange.added("id", "web"), FieldChange.added("resources", map("mem", "1Gi")));
  }

  @Test
  void applyingAChangeThatDoesNotFitIsRefused() {
    assertThatThrownBy(() -> SpecDiff.apply(map("a", 1), List.of(FieldChange.changed("b.c", 1, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b.c");
  }

  @Test
  void applyDoesNotChangeItsInput() {
    Map<String, Object> a = map("env", map("A", "1"));
    SpecDiff.apply(a, List.of(FieldChange.changed("env.A", "1", "2")));
    assertThat(a).isEqualTo(map("env", map("A", "1")));
  }
}

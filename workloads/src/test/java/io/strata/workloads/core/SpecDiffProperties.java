package io.strata.workloads.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The laws of {@link SpecDiff} on random spec-like trees (seeded: a failure replays). */
class SpecDiffProperties {
  private static final List<String> KEYS =
      List.of("id", "env", "mem", "args", "a.b", "x[0]", "q\"", "back\\slash", "", "k");

  @Property(tries = 500)
  void aTreeHasNoChangesAgainstItself(@ForAll long seed) {
    Object a = tree(new Random(seed), 0);
    assertThat(SpecDiff.diff(a, a)).isEmpty();
  }

  @Property(tries = 1000)
  void applyingTheDiffGivesTheOtherTree(@ForAll long seed) {
    Random r = new Random(seed);
    Object a = tree(r, 0);
    Object b = r.nextBoolean() ? mutate(r, SpecDiff.normalize(a), 0) : tree(r, 0);
    List<FieldChange> d = SpecDiff.diff(a, b);
    assertThat(SpecDiff.apply(a, d)).isEqualTo(SpecDiff.normalize(b));
    assertThat(d.isEmpty()).isEqualTo(SpecDiff.normalize(a).equals(SpecDiff.normalize(b)));
    for (FieldChange c : d) {
      switch (c.kind()) {
        case ADDED -> assertThat(c.before()).isNull();
        case REMOVED -> assertThat(c.after()).isNull();
        case CHANGED -> assertThat(c.before()).isNotNull().isNotEqualTo(c.after());
      }
    }
  }

  @Property(tries = 300)
  void theReverseDiffUndoesIt(@ForAll long seed) {
    Random r = new Random(seed);
    Object a = tree(r, 0);
    Object b = mutate(r, SpecDiff.normalize(a), 0);
    Object there = SpecDiff.apply(a, SpecDiff.diff(a, b));
    assertThat(SpecDiff.apply(there, SpecDiff.diff(b, a))).isEqualTo(SpecDiff.normalize(a));
  }

  static Object tree(Random r, int depth) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      m.put(KEYS.get(r.nextInt(KEYS.size())), value(r, depth + 1));
    }
    return m;
  }

  static Object value(Random r, int depth) {
    int pick = r.nextInt(depth >= 3 ? 4 : 7);
    return switch (pick) {
      case 0 -> "s" + r.nextInt(4);
      case 1 -> r.nextInt(3);
      case 2 -> r.nextBoolean();
      case 3 -> null;
      case 4, 5 -> tree(r, depth);
      default -> {
        List<Object> l = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          Object v = value(r, depth + 1);
          l.add(v == null ? "n" : v);
        }
        yield l;
      }
    };
  }

  /** A few random edits of a normalized tree: what a user changes between two versions. */
  @SuppressWarnings("unchecked")
  static Object mutate(Random r, Object t, int depth) {
    if (t instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) m);
      for (String k : List.copyOf(out.keySet())) {
        int what = r.nextInt(6);
        if (what == 0) {
          out.remove(k);
        } else if (what == 1) {
          out.put(k, mutate(r, out.get(k), depth + 1));
        }
      }
      if (r.nextInt(3) == 0) {
        out.put(KEYS.get(r.nextInt(KEYS.size())), value(r, depth + 1));
      }
      return out;
    }
    if (t instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l);
      if (!out.isEmpty() && r.nextBoolean()) {
        out.remove(r.nextInt(out.size()));
      }
      if (r.nextBoolean()) {
        out.add("added");
      }
      if (!out.isEmpty()) {
        int i = r.nextInt(out.size());
        out.set(i, mutate(r, out.get(i), depth + 1));
      }
      return out;
    }
    Object v = value(r, depth);
    return v == null ? "was " + t : v;
  }
}

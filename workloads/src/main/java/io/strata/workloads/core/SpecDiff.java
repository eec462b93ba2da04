package io.strata.workloads.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field-level differences between two spec trees (what {@code strata run --dry-run} shows, as
 * {@code nomad job plan} does), and the inverse: applying them.
 *
 * <p>A tree is a {@code Map<String, ?>} (an object), a {@code List<?>}, or a leaf (string, number,
 * boolean). A map entry whose value is null counts as absent. Objects are compared key by key,
 * lists index by index; a value that changes type is one change of the whole value. Laws (property
 * tested): {@code diff(a, a)} is empty, and {@code apply(a, diff(a, b))} equals {@code b}.
 */
public final class SpecDiff {
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private SpecDiff() {}

  /** The changes that turn {@code before} into {@code after}, in field order. */
  public static List<FieldChange> diff(Object before, Object after) {
    List<FieldChange> out = new ArrayList<>();
    diff("", normalize(before), normalize(after), out);
    return out;
  }

  private static void diff(String path, Object a, Object b, List<FieldChange> out) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a == null) {
      out.add(FieldChange.added(path, b));
    } else if (b == null) {
      out.add(FieldChange.removed(path, a));
    } else if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<Object> keys = new LinkedHashSet<>(ma.keySet());
      keys.addAll(mb.keySet());
      for (Object k : keys) {
        diff(child(path, (String) k), ma.get(k), mb.get(k), out);
      }
    } else if (a instanceof List<?> la && b instanceof List<?> lb) {
      int common = Math.min(la.size(), lb.size());
      for (int i = 0; i < common; i++) {
        diff(path + "[" + i + "]", la.get(i), lb.get(i), out);
      }
      for (int i = common; i < lb.size(); i++) {
        out.add(FieldChange.added(path + "[" + i + "]", lb.get(i)));
      }
      // Last first, so that applying removals one by one never shifts a later index.
      for (int i = la.size() - 1; i >= common; i--) {
        out.add(FieldChange.removed(path + "[" + i + "]", la.get(i)));
      }
    } else {
      out.add(FieldChange.changed(path, a, b));
    }
  }

  /**
   * {@code tree} with {@code changes} applied, as {@link #diff} produced them against it.
   *
   * @throws IllegalArgumentException if a change's path does not fit the tree
   */
  public static Object apply(Object tree, List<FieldChange> changes) {
    Object root = normalize(tree);
    for (FieldChange c : changes) {
      List<Object> at = segments(c.path());
      if (at.isEmpty()) {
        root = c.kind() == FieldChange.Kind.REMOVED ? null : normalize(c.after());
        continue;
      }
      Object parent = root;
      for (Object seg : at.subList(0, at.size() - 1)) {
        parent = step(parent, seg, c.path());
      }
      Object last = at.get(at.size() - 1);
      set(parent, last, c, c.path());
    }
    return root;
  }

  @SuppressWarnings("unchecked")
  private static void set(Object parent, Object last, FieldChange c, String path) {
    Object value = normalize(c.after());
    if (parent instanceof Map<?, ?> m && last instanceof String k) {
      Map<String, Object> map = (Map<String, Object>) m;
      if (c.kind() == FieldChange.Kind.REMOVED) {
        map.remove(k);
      } else {
        map.put(k, value);
      }
    } else if (parent instanceof List<?> l && last instanceof Integer i) {
      List<Object> list = (List<Object>) l;
      switch (c.kind()) {
        case REMOVED -> list.remove((int) i);
        case ADDED -> list.add(i, value);
        case CHANGED -> list.set(i, value);
      }
    } else {
      throw new IllegalArgumentException("no field " + path + " to change");
    }
  }

  private static Object step(Object parent, Object seg, String path) {
    Object next =
        parent instanceof Map<?, ?> m && seg instanceof String k
            ? m.get(k)
            : parent instanceof List<?> l && seg instanceof Integer i && i < l.size()
                ? l.get(i)
                : null;
    if (next == null) {
      throw new IllegalArgumentException("no field " + path + " to change");
    }
    return next;
  }

  /** A mutable deep copy without null map values (they count as absent). */
  static Object normalize(Object tree) {
    if (tree instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (e.getValue() != null) {
          out.put(String.valueOf(e.getKey()), normalize(e.getValue()));
        }
      }
      return out;
    }
    if (tree instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(normalize(v)));
      return out;
    }
    return tree;
  }

  private static String child(String path, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      return path.isEmpty() ? key : path + "." + key;
    }
    return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  /** The segments of a path: keys (strings) and list indices (integers). */
  static List<Object> segments(String path) {
    List<Object> out = new ArrayList<>();
    int i = 0;
    int n = path.length();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[' && i + 1 < n && path.charAt(i + 1) == '"') {
        StringBuilder key = new StringBuilder();
        i += 2;
        while (i < n && path.charAt(i) != '"') {
          if (path.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          key.append(path.charAt(i++));
        }
        out.add(key.toString());
        i += 2; // closing quote and bracket
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        out.add(Integer.parseInt(path.substring(i + 1, end)));
        i = end + 1;
      } else {
        int end = i;
        while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        out.add(path.substring(i, end));
        i = end;
      }
    }
    return out;
  }
}

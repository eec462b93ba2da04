package io.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.strata.api.json.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A set of ports, kept as sorted, disjoint, non-adjacent ranges so that equal sets are equal
 * values. Set algebra: {@link #plus} is union, {@link #minus} difference.
 */
public final class PortRanges {
  public static final PortRanges EMPTY = new PortRanges(List.of());

  private final List<PortRange> ranges;

  private PortRanges(List<PortRange> normalized) {
    this.ranges = normalized;
  }

  @JsonCreator
  public static PortRanges of(Collection<PortRange> ranges) {
    if (ranges == null || ranges.isEmpty()) {
      return EMPTY;
    }
    new Checks().noNullElements("", ranges).done();
    List<PortRange> sorted = new ArrayList<>(ranges);
    sorted.sort(null);
    List<PortRange> merged = new ArrayList<>();
    PortRange current = sorted.get(0);
    for (int i = 1; i < sorted.size(); i++) {
      PortRange next = sorted.get(i);
      if (next.begin() <= current.end() + 1) {
        current = new PortRange(current.begin(), Math.max(current.end(), next.end()));
      } else {
        merged.add(current);
        current = next;
      }
    }
    merged.add(current);
    return new PortRanges(List.copyOf(merged));
  }

  public static PortRanges of(PortRange... ranges) {
    return of(List.of(ranges));
  }

  public static PortRanges range(int begin, int end) {
    return of(new PortRange(begin, end));
  }

  /** Parses {@code [31000-32000,33000]} or {@code 31000-32000,33000}. */
  public static PortRanges parse(String text) {
    String body = text.trim();
    if (body.startsWith("[") && body.endsWith("]")) {
      body = body.substring(1, body.length() - 1);
    }
    List<PortRange> out = new ArrayList<>();
    for (String part : body.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int dash = p.indexOf('-');
      try {
        out.add(
            dash < 0
                ? PortRange.of(Integer.parseInt(p))
                : new PortRange(
                    Integer.parseInt(p.substring(0, dash).trim()),
                    Integer.parseInt(p.substring(dash + 1).trim())));
      } catch (NumberFormatException e) {
        throw new io.strata.api.json.ValidationException(
            "", "'" + p + "' is not a port or a range like 31000-32000");
      }
    }
    return of(out);
  }

  @JsonValue
  public List<PortRange> ranges() {
    return ranges;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  public long count() {
    long n = 0;
    for (PortRange r : ranges) {
      n += r.size();
    }
    return n;
  }

  public boolean contains(int port) {
    for (PortRange r : ranges) {
      if (r.contains(port)) {
        return true;
      }
    }
    return false;
  }

  /** True if every port of {@code other} is in this set. */
  public boolean contains(PortRanges other) {
    int i = 0;
    for (PortRange need : other.ranges) {
      while (i < ranges.size() && ranges.get(i).end() < need.begin()) {
        i++;
      }
      if (i == ranges.size()) {
        return false;
      }
      PortRange have = ranges.get(i);
      if (have.begin() > need.begin() || have.end() < need.end()) {
        return false;
      }
    }
    return true;
  }

  public PortRanges plus(PortRanges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<PortRange> all = new ArrayList<>(ranges);
    all.addAll(other.ranges);
    return of(all);
  }

  /** The ports of this set that are not in {@code other}. */
  public PortRanges minus(PortRanges other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    List<PortRange> out = new ArrayList<>();
    for (PortRange r : ranges) {
      int begin = r.begin();
      for (PortRange cut : other.ranges) {
        if (cut.end() < begin || cut.begin() > r.end()) {
          continue;
        }
        if (cut.begin() > begin) {
          out.add(new PortRange(begin, cut.begin() - 1));
        }
        begin = Math.max(begin, cut.end() + 1);
        if (begin > r.end()) {
          break;
        }
      }
      if (begin <= r.end()) {
        out.add(new PortRange(begin, r.end()));
      }
    }
    return of(out);
  }

  public PortRanges intersect(PortRanges other) {
    return minus(minus(other));
  }

  /** The lowest {@code n} ports of this set (fewer if it has fewer). */
  public PortRanges first(long n) {
    List<PortRange> out = new ArrayList<>();
    long left = n;
    for (PortRange r : ranges) {
      if (left <= 0) {
        break;
      }
      long take = Math.min(left, r.size());
      out.add(new PortRange(r.begin(), (int) (r.begin() + take - 1)));
      left -= take;
    }
    return of(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortRanges p && p.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return ranges.stream().map(PortRange::toString).collect(Collectors.joining(",", "[", "]"));
  }
}

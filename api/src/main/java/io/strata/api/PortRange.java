package io.strata.api;

import io.strata.api.json.Checks;

/** Ports {@code begin..end}, both inclusive. */
public record PortRange(int begin, int end) implements Comparable<PortRange> {
  public static final int MAX_PORT = 65535;

  public PortRange {
    new Checks()
        .range("begin", begin, 1, MAX_PORT)
        .range("end", end, 1, MAX_PORT)
        .require(begin <= end, "end", "must be >= begin (" + begin + ")")
        .done();
  }

  public static PortRange of(int port) {
    return new PortRange(port, port);
  }

  public long size() {
    return (long) end - begin + 1;
  }

  public boolean contains(int port) {
    return port >= begin && port <= end;
  }

  @Override
  public int compareTo(PortRange o) {
    return begin != o.begin ? Integer.compare(begin, o.begin) : Integer.compare(end, o.end);
  }

  @Override
  public String toString() {
    return begin == end ? Integer.toString(begin) : begin + "-" + end;
  }
}

package io.strata.allocator.server.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The names of the zone (docs/service-discovery.md). Strata's app and job ids are DNS labels
 * already; framework, task and host names are made into labels as Mesos-DNS does: lower case, every
 * character other than a-z, 0-9 and '-' becomes '-', no '-' at either end, at most 63 characters. A
 * name that leaves nothing gets no record.
 */
public final class DnsNames {
  public static final String SERVICES = "services";
  public static final String JOBS = "jobs";
  public static final String FRAMEWORKS = "frameworks";
  public static final String AGENTS = "agents";

  /** The name server's own name under the zone. */
  static final String NS = "ns";

  private DnsNames() {}

  /** {@code text} as one DNS label; empty if nothing of it is usable. */
  public static String label(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), 63));
    for (char ch : text.toLowerCase(Locale.ROOT).toCharArray()) {
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      b.append(ok ? ch : '-');
    }
    int start = 0;
    int end = b.length();
    while (start < end && b.charAt(start) == '-') {
      start++;
    }
    while (end > start && b.charAt(end - 1) == '-') {
      end--;
    }
    String s = b.substring(start, end);
    if (s.length() > 63) {
      s = s.substring(0, 63);
      while (s.endsWith("-")) {
        s = s.substring(0, s.length() - 1);
      }
    }
    return s;
  }

  /** A hostname as labels (each made a label; empty ones dropped). */
  static List<String> hostLabels(String hostname) {
    List<String> out = new ArrayList<>();
    if (hostname != null) {
      for (String part : hostname.split("\\.")) {
        String l = label(part);
        if (!l.isEmpty()) {
          out.add(l);
        }
      }
    }
    return out;
  }

  /** The zone's origin, e.g. {@code strata.}; validated where configured. */
  public static Name origin(String zone) {
    try {
      return Name.fromString(zone.endsWith(".") ? zone : zone + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + zone, e);
    }
  }

  /**
   * {@code labels} (left to right, most specific first) under {@code origin}; null if a label is
   * empty or the name would be longer than DNS allows.
   */
  static Name under(Name origin, List<String> labels) {
    StringBuilder b = new StringBuilder();
    for (String l : labels) {
      if (l.isEmpty()) {
        return null;
      }
      b.append(b.isEmpty() ? "" : ".").append(l); // relative: no final dot
    }
    try {
      return Name.fromString(b.toString(), origin);
    } catch (TextParseException e) {
      return null; // too long: no record rather than a broken one
    }
  }

  static Name under(Name origin, String... labels) {
    return under(origin, List.of(labels));
  }

  /** The A name of a group: {@code web.services.strata.}. */
  static Name group(Name origin, String kindLabel, List<String> nameLabels) {
    List<String> all = new ArrayList<>(nameLabels);
    all.add(kindLabel);
    return under(origin, all);
  }

  /**
   * The SRV name of a group's port {@code index}: {@code _web._tcp.services.strata.} for the first
   * port (index null), {@code _port1._web._tcp.services.strata.} for index 1.
   */
  static Name srv(Name origin, String kindLabel, List<String> nameLabels, Integer index) {
    List<String> all = new ArrayList<>();
    if (index != null) {
      all.add("_port" + index);
    }
    all.add("_" + nameLabels.get(0));
    all.add("_tcp");
    all.addAll(nameLabels.subList(1, nameLabels.size()));
    all.add(kindLabel);
    return under(origin, all);
  }

  /** The agent's name: {@code node-1.agents.strata.}; null if its hostname has no usable label. */
  static Name agent(Name origin, String hostname) {
    List<String> labels = hostLabels(hostname);
    if (labels.isEmpty()) {
      return null;
    }
    labels.add(AGENTS);
    return under(origin, labels);
  }
}

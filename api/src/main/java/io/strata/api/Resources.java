package io.strata.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.api.json.Checks;
import io.strata.api.json.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * An amount of resources in integer units, never doubles: CPU in millicpus, memory and disk in
 * bytes, whole GPUs, and a set of ports. Values are never negative; {@link #minus} refuses what
 * would make them so.
 */
public record Resources(
    long millicpus, long memoryBytes, long diskBytes, long gpus, PortRanges ports) {

  public static final Resources EMPTY = new Resources(0, 0, 0, 0, PortRanges.EMPTY);

  public Resources {
    ports = ports == null ? PortRanges.EMPTY : ports;
    new Checks()
        .nonNegative("millicpus", millicpus)
        .nonNegative("memoryBytes", memoryBytes)
        .nonNegative("diskBytes", diskBytes)
        .nonNegative("gpus", gpus)
        .done();
  }

  public static Resources of(long millicpus, long memoryBytes) {
    return new Resources(millicpus, memoryBytes, 0, 0, PortRanges.EMPTY);
  }

  public static Resources of(long millicpus, long memoryBytes, long diskBytes) {
    return new Resources(millicpus, memoryBytes, diskBytes, 0, PortRanges.EMPTY);
  }

  public Resources withPorts(PortRanges newPorts) {
    return new Resources(millicpus, memoryBytes, diskBytes, gpus, newPorts);
  }

  public Resources withGpus(long newGpus) {
    return new Resources(millicpus, memoryBytes, diskBytes, newGpus, ports);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return millicpus == 0 && memoryBytes == 0 && diskBytes == 0 && gpus == 0 && ports.isEmpty();
  }

  public Resources plus(Resources o) {
    if (o.isEmpty()) {
      return this;
    }
    return new Resources(
        Math.addExact(millicpus, o.millicpus),
        Math.addExact(memoryBytes, o.memoryBytes),
        Math.addExact(diskBytes, o.diskBytes),
        Math.addExact(gpus, o.gpus),
        ports.plus(o.ports));
  }

  /** True if every quantity of {@code o} fits in this one and its ports are a subset of ours. */
  public boolean contains(Resources o) {
    return millicpus >= o.millicpus
        && memoryBytes >= o.memoryBytes
        && diskBytes >= o.diskBytes
        && gpus >= o.gpus
        && ports.contains(o.ports);
  }

  /** This minus {@code o}; {@code o} must be contained (see {@link #contains}). */
  public Resources minus(Resources o) {
    if (!contains(o)) {
      throw new IllegalArgumentException(this + " does not contain " + o);
    }
    if (o.isEmpty()) {
      return this;
    }
    return new Resources(
        millicpus - o.millicpus,
        memoryBytes - o.memoryBytes,
        diskBytes - o.diskBytes,
        gpus - o.gpus,
        ports.minus(o.ports));
  }

  /** This minus {@code o}, each quantity floored at zero (ports: set difference). */
  public Resources minusClamped(Resources o) {
    return new Resources(
        Math.max(0, millicpus - o.millicpus),
        Math.max(0, memoryBytes - o.memoryBytes),
        Math.max(0, diskBytes - o.diskBytes),
        Math.max(0, gpus - o.gpus),
        ports.minus(o.ports));
  }

  /** The element-wise minimum (ports: intersection). */
  public Resources min(Resources o) {
    return new Resources(
        Math.min(millicpus, o.millicpus),
        Math.min(memoryBytes, o.memoryBytes),
        Math.min(diskBytes, o.diskBytes),
        Math.min(gpus, o.gpus),
        ports.intersect(o.ports));
  }

  /** The names of the quantities where this exceeds {@code limit}, for "why" messages. */
  public List<String> exceeding(Resources limit) {
    List<String> out = new ArrayList<>();
    if (millicpus > limit.millicpus) {
      out.add("cpus");
    }
    if (memoryBytes > limit.memoryBytes) {
      out.add("mem");
    }
    if (diskBytes > limit.diskBytes) {
      out.add("disk");
    }
    if (gpus > limit.gpus) {
      out.add("gpus");
    }
    if (!limit.ports.contains(ports)) {
      out.add("ports");
    }
    return out;
  }

  /**
   * Parses Mesos' text form: {@code cpus:2;mem:1024;disk:4096;gpus:1;ports:[31000-32000]}. CPUs may
   * be decimal (up to 0.001); mem and disk are MiB unless suffixed ({@code mem:2Gi}).
   */
  public static Resources parse(String text) {
    long cpus = 0;
    long mem = 0;
    long disk = 0;
    long gpus = 0;
    PortRanges ports = PortRanges.EMPTY;
    Checks c = new Checks();
    for (String part : text.split(";")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.indexOf(':');
      if (colon < 0) {
        c.require(false, p, "expected name:value");
        continue;
      }
      String name = p.substring(0, colon).trim();
      String value = p.substring(colon + 1).trim();
      try {
        switch (name) {
          case "cpus" -> cpus = Quantities.parseMillicpus(value);
          case "mem" -> mem = Quantities.parseBytes(value, Quantities.MIB);
          case "disk" -> disk = Quantities.parseBytes(value, Quantities.MIB);
          case "gpus" -> gpus = Long.parseLong(value);
          case "ports" -> ports = PortRanges.parse(value);
          default ->
              c.require(false, name, "unknown resource; expected cpus, mem, disk, gpus or ports");
        }
      } catch (ValidationException e) {
        c.addAll(name, e.violations());
      } catch (NumberFormatException e) {
        c.require(false, name, "'" + value + "' is not a whole number");
      }
    }
    c.done();
    return new Resources(cpus, mem, disk, gpus, ports);
  }

  /** The text form {@link #parse} reads, with mem and disk in MiB when whole. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("cpus:" + Quantities.formatCpus(millicpus));
    parts.add("mem:" + sizeText(memoryBytes));
    if (diskBytes > 0) {
      parts.add("disk:" + sizeText(diskBytes));
    }
    if (gpus > 0) {
      parts.add("gpus:" + gpus);
    }
    if (!ports.isEmpty()) {
      parts.add("ports:" + ports);
    }
    return String.join(";", parts);
  }

  private static String sizeText(long bytes) {
    return bytes % Quantities.MIB == 0 ? Long.toString(bytes / Quantities.MIB) : bytes + "B";
  }
}

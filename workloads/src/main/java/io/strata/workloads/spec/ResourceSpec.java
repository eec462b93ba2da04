package io.strata.workloads.spec;

import io.strata.api.Quantities;
import io.strata.api.Resources;
import io.strata.api.json.Checks;
import io.strata.api.json.ValidationException;

/**
 * What one task of an app or job needs, in human quantities: {@code cpus: 0.5} (or {@code 500m}),
 * {@code mem: 512Mi} (a bare number is MiB, as in Mesos), {@code disk: 1Gi}, {@code ports: 1} (how
 * many host ports to allocate; the task sees them as {@code PORT0}, {@code PORT1}... and {@code
 * PORT}), {@code gpus: 0}.
 */
public record ResourceSpec(String cpus, String mem, String disk, Integer ports, Integer gpus) {
  public static final int MAX_PORTS = 100;

  public ResourceSpec {
    Checks c = new Checks();
    c.require(cpus != null || mem != null, "", "set cpus and/or mem (a task needs some of either)");
    parse(c, "cpus", cpus, true);
    parse(c, "mem", mem, false);
    parse(c, "disk", disk, false);
    ports = ports == null ? 0 : ports;
    gpus = gpus == null ? 0 : gpus;
    c.range("ports", ports, 0, MAX_PORTS);
    c.range("gpus", gpus, 0, 64);
    if (c.ok()) {
      c.require(
          parse(null, "cpus", cpus, true) > 0 || parse(null, "mem", mem, false) > 0,
          "",
          "a task needs some cpus or mem (both are 0)");
    }
    c.done();
  }

  public static ResourceSpec of(String cpus, String mem) {
    return new ResourceSpec(cpus, mem, null, 0, 0);
  }

  /** The scalar part as integer units; ports are chosen from an offer at placement. */
  public Resources scalars() {
    return new Resources(
            parse(null, "cpus", cpus, true),
            parse(null, "mem", mem, false),
            parse(null, "disk", disk, false),
            0,
            null)
        .withGpus(gpus);
  }

  private static long parse(Checks c, String field, String text, boolean isCpu) {
    if (text == null) {
      return 0;
    }
    try {
      return isCpu ? Quantities.parseMillicpus(text) : Quantities.parseBytes(text, Quantities.MIB);
    } catch (ValidationException e) {
      if (c == null) {
        throw e;
      }
      c.addAll(field, e.violations());
      return 0;
    }
  }
}

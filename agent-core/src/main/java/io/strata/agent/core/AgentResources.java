package io.strata.agent.core;

import io.strata.api.PortRanges;
import io.strata.api.Resources;
import java.util.List;

/**
 * What an agent offers: what it discovered on the machine, with the quantities the operator
 * overrode replaced, minus the slice reserved for the system (never below zero).
 */
public final class AgentResources {
  private AgentResources() {}

  /**
   * @param discovered cpus, memory, disk and GPUs found on the machine (ports ignored)
   * @param overrides the operator's values for the quantities named in {@code overridden}
   * @param overridden names from the override text: cpus, mem, disk, gpus, ports
   * @param ports the configured port range (an override of {@code ports} wins)
   * @param reserved the system's slice
   */
  public static Resources offered(
      Resources discovered,
      Resources overrides,
      List<String> overridden,
      PortRanges ports,
      Resources reserved) {
    Resources total =
        new Resources(
            overridden.contains("cpus") ? overrides.millicpus() : discovered.millicpus(),
            overridden.contains("mem") ? overrides.memoryBytes() : discovered.memoryBytes(),
            overridden.contains("disk") ? overrides.diskBytes() : discovered.diskBytes(),
            overridden.contains("gpus") ? overrides.gpus() : discovered.gpus(),
            overridden.contains("ports") ? overrides.ports() : ports);
    return total.minusClamped(reserved);
  }

  /**
   * What an agent offers once it found ports of its range held by other processes on its host: the
   * same, without those ports (a task given one could not bind it).
   */
  public static Resources withoutHeld(Resources offered, PortRanges held) {
    return offered.withPorts(offered.ports().minus(held));
  }
}

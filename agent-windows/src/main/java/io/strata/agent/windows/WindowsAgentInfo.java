package io.strata.agent.windows;

import io.strata.api.AgentInfo;
import io.strata.api.Capabilities;
import io.strata.api.Os;
import io.strata.api.PortRanges;
import io.strata.api.ResourcePool;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What a Windows agent tells the allocator about itself. Pure. */
public final class WindowsAgentInfo {
  /** Memory kept for Windows and the agent unless the operator says otherwise. */
  public static final long DEFAULT_RESERVED_MEMORY = 1L << 30;

  private WindowsAgentInfo() {}

  /**
   * @param windowsContainers whether a Windows container engine answered on its named pipe
   */
  public static AgentInfo of(
      String hostname,
      String arch,
      WindowsResources.Host host,
      long reservedMemoryBytes,
      long reservedDiskBytes,
      PortRanges ports,
      boolean windowsContainers,
      Map<String, String> attributes,
      String version) {
    Set<String> capabilities = new TreeSet<>();
    capabilities.add(Capabilities.JOB_OBJECTS);
    if (windowsContainers) {
      capabilities.add(Capabilities.WINDOWS_CONTAINERS);
    }
    return new AgentInfo(
        hostname,
        Os.WINDOWS,
        arch,
        ResourcePool.unreserved(host.offer(reservedMemoryBytes, reservedDiskBytes, ports)),
        attributes,
        capabilities,
        null,
        version);
  }
}

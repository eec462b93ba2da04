package io.strata.agent.docker;

import java.util.List;
import java.util.Map;

/**
 * A container to create, as data: what a platform's container plan (Linux {@code DockerRun},
 * Windows {@code ContainerPlan}) becomes for the engine. Null fields are left to the engine.
 *
 * @param env {@code NAME=value} entries
 * @param user the user to run as; null for the image's
 * @param entrypoint replaces the image's entrypoint; null keeps it
 * @param cmd the command (the entrypoint's arguments); null keeps the image's
 * @param limits the host config: resources, network, the sandbox bind
 */
public record ContainerRequest(
    String image,
    String name,
    List<String> env,
    Map<String, String> labels,
    String user,
    String workingDir,
    List<String> entrypoint,
    List<String> cmd,
    Limits limits) {

  /**
   * @param init run the engine's init (tini) as the container's first process
   * @param securityOpts e.g. {@code no-new-privileges}
   * @param cpuShares relative CPU weight; null for the engine's
   * @param memoryBytes the memory limit; 0 for none
   * @param memorySwapBytes memory plus swap; null for the engine's default
   * @param nanoCpus a hard CPU cap in billionths of a CPU; null or 0 for none
   * @param pidsLimit the most processes; null for none
   * @param isolation Windows' {@code process} or {@code hyperv}; null for the engine's default
   * @param bindSource the host directory bound into the container (the sandbox)
   * @param bindTarget where it appears in the container
   */
  public record Limits(
      boolean init,
      List<String> securityOpts,
      String networkMode,
      Integer cpuShares,
      long memoryBytes,
      Long memorySwapBytes,
      Long nanoCpus,
      Long pidsLimit,
      String isolation,
      String bindSource,
      String bindTarget) {}
}

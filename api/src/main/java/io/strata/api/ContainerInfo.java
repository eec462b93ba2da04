package io.strata.api;

import io.strata.api.json.Checks;

/**
 * Run the task in a container of {@code image} (Docker on Linux, Windows containers on Windows).
 * The task's command, if any, replaces the image's default command.
 *
 * @param network {@code NONE} (the default: no network) or {@code HOST}
 * @param isolation Windows only: {@code PROCESS} or {@code HYPERV}; {@code DEFAULT} lets the agent
 *     choose (process isolation on Windows Server, Hyper-V on client Windows)
 */
public record ContainerInfo(String image, Network network, Isolation isolation) {
  public enum Network {
    NONE,
    HOST
  }

  public enum Isolation {
    DEFAULT,
    PROCESS,
    HYPERV
  }

  public ContainerInfo {
    new Checks().notBlank("image", image).maxLength("image", image, 512).done();
    network = network == null ? Network.NONE : network;
    isolation = isolation == null ? Isolation.DEFAULT : isolation;
  }

  public static ContainerInfo of(String image) {
    return new ContainerInfo(image, Network.NONE, Isolation.DEFAULT);
  }
}

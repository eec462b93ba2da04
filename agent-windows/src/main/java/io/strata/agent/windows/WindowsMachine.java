package io.strata.agent.windows;

import io.strata.agent.MachineProbe;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.api.Os;
import io.strata.api.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What this Windows machine has ({@link WindowsResources}): logical processors of all processor
 * groups, physical memory, and the space on the work directory's volume that is free for the
 * agent's account (not the volume's size: Windows itself lives on it). No GPUs are discovered.
 */
public final class WindowsMachine implements MachineProbe {
  private final JobKernel32 kernel;
  private final Map<String, String> environment;

  /**
   * @param environment the agent's environment ({@code COMPUTERNAME} names the machine)
   */
  public WindowsMachine(JobKernel32 kernel, Map<String, String> environment) {
    this.kernel = kernel;
    this.environment = Map.copyOf(environment);
  }

  @Override
  public String hostname() {
    String name = environment.get("COMPUTERNAME");
    return name == null || name.isBlank() ? "localhost" : name.toLowerCase(Locale.ROOT);
  }

  @Override
  public Os os() {
    return Os.WINDOWS;
  }

  @Override
  public String arch() {
    return normalizedArch(System.getProperty("os.arch"));
  }

  static String normalizedArch(String arch) {
    return switch (arch.toLowerCase(Locale.ROOT)) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch.toLowerCase(Locale.ROOT);
    };
  }

  @Override
  public Resources discover(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    WindowsResources.Host host = WindowsResources.discover(kernel, workDir);
    return new Resources(
        host.logicalProcessors() * 1000L, host.memoryBytes(), host.diskFreeBytes(), 0, null);
  }
}

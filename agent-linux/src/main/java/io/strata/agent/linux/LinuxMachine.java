package io.strata.agent.linux;

import io.strata.agent.MachineProbe;
import io.strata.agent.linux.jna.Posix;
import io.strata.api.Os;
import io.strata.api.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What this Linux machine has: online CPUs (sysconf), physical memory (sysconf), the size of the
 * work dir's file system (statvfs), and NVIDIA GPUs ({@code /dev/nvidiaN}).
 */
public final class LinuxMachine implements MachineProbe {
  private static final Pattern GPU = Pattern.compile("nvidia[0-9]+");

  @Override
  public String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public Os os() {
    return Os.LINUX;
  }

  @Override
  public String arch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }

  @Override
  public Resources discover(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    long gpus;
    try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
      gpus = dev.filter(p -> GPU.matcher(p.getFileName().toString()).matches()).count();
    }
    return new Resources(
        Posix.onlineCpus() * 1000,
        Posix.physicalMemoryBytes(),
        Posix.statvfs(workDir).totalBytes(),
        gpus,
        null);
  }
}

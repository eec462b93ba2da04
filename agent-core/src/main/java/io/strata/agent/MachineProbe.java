package io.strata.agent;

import io.strata.api.Os;
import io.strata.api.Resources;
import java.io.IOException;
import java.nio.file.Path;

/** What a platform finds out about its machine. Ports are not discovered: they come from config. */
public interface MachineProbe {
  String hostname();

  Os os();

  /** e.g. {@code amd64}, {@code arm64}. */
  String arch();

  /** CPUs, memory, the disk of {@code workDir}'s file system, and GPUs. */
  Resources discover(Path workDir) throws IOException;
}

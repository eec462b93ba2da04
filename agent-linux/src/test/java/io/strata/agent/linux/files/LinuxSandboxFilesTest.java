package io.strata.agent.linux.files;

import io.strata.agent.files.SandboxFiles;
import io.strata.agent.testing.SandboxFilesContract;
import org.junit.jupiter.api.Nested;

/** Both ways the Linux implementation resolves paths, against the contract. */
class LinuxSandboxFilesTest {
  @Nested
  class WithOpenat2 extends SandboxFilesContract {
    private final SandboxFiles files = new LinuxSandboxFiles(true);

    @Override
    protected SandboxFiles files() {
      return files;
    }
  }

  /** The fallback for kernels before 5.6 (no openat2), forced here. */
  @Nested
  class WalkingComponents extends SandboxFilesContract {
    private final SandboxFiles files = new LinuxSandboxFiles(false);

    @Override
    protected SandboxFiles files() {
      return files;
    }
  }
}

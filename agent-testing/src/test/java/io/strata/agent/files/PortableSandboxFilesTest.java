package io.strata.agent.files;

import io.strata.agent.testing.SandboxFilesContract;

/** The portable implementation (the Windows agent's) against the contract. */
class PortableSandboxFilesTest extends SandboxFilesContract {
  private final SandboxFiles files = new PortableSandboxFiles();

  @Override
  protected SandboxFiles files() {
    return files;
  }

  /**
   * Documented: it checks, then opens; an intermediate directory swapped in between is followed.
   */
  @Override
  protected boolean confinedWhileComponentsRace() {
    return false;
  }
}

package io.strata.agent.windows.exec;

import java.util.concurrent.CountDownLatch;

/**
 * The job handle holder: a process that does nothing but exist. The agent duplicates into it a
 * handle to every task's job and main process, so that a job keeps its name and a main process its
 * exit code while no agent runs. See {@link JobHolder}.
 */
public final class HolderMain {
  private HolderMain() {}

  public static void main(String[] args) throws InterruptedException {
    new CountDownLatch(1).await();
  }
}

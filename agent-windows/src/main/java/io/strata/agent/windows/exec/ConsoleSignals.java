package io.strata.agent.windows.exec;

import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;

/**
 * Sends CTRL_BREAK to a task's process group: the polite stop of a console program on Windows.
 * GenerateConsoleCtrlEvent only reaches processes on the caller's console. An agent in a terminal
 * shares its console with its tasks and signals directly (AttachConsole then fails with
 * ERROR_ACCESS_DENIED: we already have a console). A service has no console: it attaches to the
 * task's console for the moment of the call, then detaches. The console is process-wide state, so
 * signals are sent one at a time.
 */
final class ConsoleSignals {
  private static final Object CONSOLE = new Object();

  private ConsoleSignals() {}

  /** True if the signal was sent; false if the task has no console we can reach. */
  static boolean ctrlBreak(JobKernel32 kernel, int processGroupId) {
    synchronized (CONSOLE) {
      if (kernel.AttachConsole(processGroupId)) {
        try {
          return kernel.GenerateConsoleCtrlEvent(JobConstants.CTRL_BREAK_EVENT, processGroupId);
        } finally {
          kernel.FreeConsole();
        }
      }
      if (kernel.lastError() == JobConstants.ERROR_ACCESS_DENIED) {
        return kernel.GenerateConsoleCtrlEvent(JobConstants.CTRL_BREAK_EVENT, processGroupId);
      }
      return false;
    }
  }
}

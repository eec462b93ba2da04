package io.strata.agent.windows.service;

import java.util.function.IntConsumer;

/**
 * The Service Control Manager calls a service process makes (advapi32), as one mockable interface:
 * {@link WindowsService} speaks the protocol through it, {@link Advapi32Scm} performs it.
 */
public interface ServiceControlManager {
  /**
   * Connects the process to the SCM (StartServiceCtrlDispatcher): the SCM runs {@code serviceMain}
   * on a thread of its own. Blocks until the service has reported STOPPED. Returns false if the
   * process was not started by the SCM (from a console, say).
   */
  boolean startDispatcher(String serviceName, Runnable serviceMain);

  /**
   * Registers the control handler (RegisterServiceCtrlHandlerEx): {@code controls} receives each
   * SERVICE_CONTROL_* code, on the dispatcher's thread, and must return quickly. Null on failure.
   */
  Registration register(String serviceName, IntConsumer controls);

  /** The Win32 error of the last failed call on this thread. */
  int lastError();

  /** A registered service: reports its status (SetServiceStatus). */
  interface Registration {
    /** False if the SCM refused the status. */
    boolean report(Status status);
  }

  /** A SERVICE_STATUS for a service of its own process. */
  record Status(
      int currentState,
      int controlsAccepted,
      int win32ExitCode,
      int serviceSpecificExitCode,
      int checkPoint,
      int waitHintMillis) {}
}

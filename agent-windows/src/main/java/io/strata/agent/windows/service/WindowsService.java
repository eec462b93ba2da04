package io.strata.agent.windows.service;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Winsvc;
import com.sun.jna.platform.win32.Winsvc.SERVICE_STATUS;
import com.sun.jna.platform.win32.Winsvc.SERVICE_STATUS_HANDLE;
import com.sun.jna.platform.win32.Winsvc.SERVICE_TABLE_ENTRY;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts a body of work as a Windows service: speaks the Service Control Manager's protocol
 * (StartServiceCtrlDispatcher, a control handler, SetServiceStatus) so that {@code sc.exe create}
 * can point at a plain {@code java.exe} command line. STOP and SHUTDOWN stop the body; the service
 * then reports STOPPED (or a service-specific exit code if the body failed, which lets the SCM's
 * recovery options restart it).
 */
public final class WindowsService {
  private static final Logger LOG = LoggerFactory.getLogger(WindowsService.class);
  private static final int SERVICE_WIN32_OWN_PROCESS = 0x10;
  private static final int ERROR_SERVICE_SPECIFIC_ERROR = 1066;
  static final int START_WAIT_HINT_MILLIS = 60_000;

  /** What the service runs. */
  public interface Body {
    /** Starts the work; returns once it runs. */
    void start() throws Exception;

    /** Stops the work (called once, on STOP or SHUTDOWN); returns once it has stopped. */
    void stop() throws Exception;
  }

  private final String name;
  private final Body body;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private SERVICE_STATUS_HANDLE handle;
  private int checkpoint;

  private WindowsService(String name, Body body) {
    this.name = name;
    this.body = body;
  }

  /** Runs {@code body} as the service {@code name}; blocks until the service has stopped. */
  public static void run(String name, Body body) {
    WindowsService service = new WindowsService(name, body);
    SERVICE_TABLE_ENTRY entry = new SERVICE_TABLE_ENTRY();
    entry.lpServiceName = name;
    entry.lpServiceProc = (argc, argv) -> service.serviceMain();
    SERVICE_TABLE_ENTRY[] table = (SERVICE_TABLE_ENTRY[]) entry.toArray(2);
    if (!Advapi32.INSTANCE.StartServiceCtrlDispatcher(table)) {
      throw new IllegalStateException(
          "StartServiceCtrlDispatcher failed (error "
              + com.sun.jna.Native.getLastError()
              + "): run this command through the Service Control Manager, not from a console");
    }
  }

  private void serviceMain() {
    Winsvc.HandlerEx handler = this::control;
    handle = Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(name, handler, null);
    report(Winsvc.SERVICE_START_PENDING, 0, 0);
    try {
      body.start();
    } catch (Exception e) {
      LOG.error("service {} failed to start", name, e);
      report(Winsvc.SERVICE_STOPPED, 0, 1);
      return;
    }
    report(Winsvc.SERVICE_RUNNING, Winsvc.SERVICE_ACCEPT_STOP | Winsvc.SERVICE_ACCEPT_SHUTDOWN, 0);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int control(int control, int eventType, Pointer eventData, Pointer context) {
    if (control == Winsvc.SERVICE_CONTROL_STOP || control == Winsvc.SERVICE_CONTROL_SHUTDOWN) {
      report(Winsvc.SERVICE_STOP_PENDING, 0, 0);
      Thread.ofPlatform()
          .name("strata-service-stop")
          .start(
              () -> {
                int exit = 0;
                try {
                  body.stop();
                } catch (Exception e) {
                  LOG.error("service {} failed to stop cleanly", name, e);
                  exit = 2;
                }
                report(Winsvc.SERVICE_STOPPED, 0, exit);
                stopped.countDown();
              });
    }
    return 0; // NO_ERROR: every control is answered, INTERROGATE included
  }

  private synchronized void report(int state, int accepted, int serviceExitCode) {
    SERVICE_STATUS status = new SERVICE_STATUS();
    status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
    status.dwCurrentState = state;
    status.dwControlsAccepted = accepted;
    status.dwWin32ExitCode = serviceExitCode == 0 ? 0 : ERROR_SERVICE_SPECIFIC_ERROR;
    status.dwServiceSpecificExitCode = serviceExitCode;
    boolean pending = state == Winsvc.SERVICE_START_PENDING || state == Winsvc.SERVICE_STOP_PENDING;
    status.dwCheckPoint = pending ? ++checkpoint : 0;
    status.dwWaitHint = pending ? START_WAIT_HINT_MILLIS : 0;
    if (!Advapi32.INSTANCE.SetServiceStatus(handle, status)) {
      LOG.warn("SetServiceStatus({}) failed: error {}", state, com.sun.jna.Native.getLastError());
    }
  }
}

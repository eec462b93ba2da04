package io.strata.agent.windows.service;

import com.sun.jna.platform.win32.Winsvc;
import io.strata.agent.main.AgentRun;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts a body of work as a Windows service: speaks the Service Control Manager's protocol
 * (StartServiceCtrlDispatcher, a control handler, SetServiceStatus with check points) so that
 * {@code sc.exe create} can point at a plain {@code java.exe} command line.
 *
 * <pre>
 * START_PENDING ─ body.start() ─► RUNNING ─ STOP / SHUTDOWN, or body.ended() ─► STOP_PENDING
 *       │ fails                                                   body.stop() ─► STOPPED (exit code)
 *       └────────────────────────────► STOPPED (service-specific exit code 1)
 * </pre>
 *
 * A service-specific exit code other than 0 makes the SCM's recovery actions (sc.exe failure …
 * failureflag 1) restart the service; 0 (stopped on request, or the body ended cleanly) does not.
 */
public final class WindowsService {
  private static final Logger LOG = LoggerFactory.getLogger(WindowsService.class);
  static final int ERROR_SERVICE_SPECIFIC_ERROR = 1066;
  static final int WAIT_HINT_MILLIS = 60_000;

  /** The exit code when the body could not start. */
  public static final int START_FAILED = 1;

  /** The exit code when the body failed to stop cleanly. */
  public static final int STOP_FAILED = 2;

  /** What the service runs. */
  public interface Body {
    /** Starts the work; returns once it runs. A failure stops the service (exit code 1). */
    void start() throws Exception;

    /**
     * Stops the work (called once: on STOP or SHUTDOWN, or after {@link #ended}); returns once it
     * has stopped.
     */
    void stop() throws Exception;

    /**
     * Completes, with the service's exit code, when the work ends by itself (never, by default):
     * the service then stops.
     */
    default CompletionStage<Integer> ended() {
      return new CompletableFuture<>();
    }
  }

  /** The agent as a service's work: its end (the allocator's Shutdown) ends the service. */
  public static Body body(AgentRun agent) {
    return new Body() {
      @Override
      public void start() throws Exception {
        agent.start();
      }

      @Override
      public void stop() {
        agent.stop();
      }

      @Override
      public CompletionStage<Integer> ended() {
        return agent.ended();
      }
    };
  }

  private final ServiceControlManager scm;
  private final String name;
  private final Body body;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private ServiceControlManager.Registration registration;
  private int checkpoint;
  private volatile int exitCode;

  private WindowsService(ServiceControlManager scm, String name, Body body) {
    this.scm = scm;
    this.name = name;
    this.body = body;
  }

  /**
   * Runs {@code body} as the service {@code name}; blocks until the service has stopped, and
   * returns its exit code. Throws IllegalStateException when the process was not started by the
   * Service Control Manager.
   */
  public static int run(String name, Body body) {
    return run(new Advapi32Scm(), name, body);
  }

  static int run(ServiceControlManager scm, String name, Body body) {
    WindowsService service = new WindowsService(scm, name, body);
    if (!scm.startDispatcher(name, service::serviceMain)) {
      throw new IllegalStateException(
          "StartServiceCtrlDispatcher failed (Win32 error "
              + scm.lastError()
              + "): --windows-service is for the Service Control Manager; run without it from a"
              + " console");
    }
    return service.exitCode;
  }

  private void serviceMain() {
    registration = scm.register(name, this::control);
    if (registration == null) {
      LOG.error(
          "service {}: RegisterServiceCtrlHandlerEx failed (Win32 error {})",
          name,
          scm.lastError());
      exitCode = START_FAILED;
      return;
    }
    report(Winsvc.SERVICE_START_PENDING, 0, 0);
    try {
      body.start();
    } catch (Exception e) {
      LOG.error("service {} failed to start", name, e);
      exitCode = START_FAILED;
      report(Winsvc.SERVICE_STOPPED, 0, START_FAILED);
      return;
    }
    report(Winsvc.SERVICE_RUNNING, Winsvc.SERVICE_ACCEPT_STOP | Winsvc.SERVICE_ACCEPT_SHUTDOWN, 0);
    body.ended()
        .whenComplete(
            (code, failure) -> {
              if (failure != null) {
                LOG.error("service {}: the agent failed", name, failure);
              }
              stop(failure != null ? START_FAILED : code == null ? 0 : code);
            });
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void control(int control) {
    if (control == Winsvc.SERVICE_CONTROL_STOP || control == Winsvc.SERVICE_CONTROL_SHUTDOWN) {
      stop(0);
    }
  }

  /** Stops the body once, off the caller's thread (the SCM's handler must return at once). */
  private void stop(int code) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    report(Winsvc.SERVICE_STOP_PENDING, 0, 0);
    Thread.ofPlatform()
        .name("strata-service-stop")
        .start(
            () -> {
              int exit = code;
              try {
                body.stop();
              } catch (Exception e) {
                LOG.error("service {} failed to stop cleanly", name, e);
                exit = STOP_FAILED;
              }
              exitCode = exit;
              report(Winsvc.SERVICE_STOPPED, 0, exit);
              stopped.countDown();
            });
  }

  private synchronized void report(int state, int accepted, int serviceExitCode) {
    boolean pending = state == Winsvc.SERVICE_START_PENDING || state == Winsvc.SERVICE_STOP_PENDING;
    ServiceControlManager.Status status =
        new ServiceControlManager.Status(
            state,
            accepted,
            serviceExitCode == 0 ? 0 : ERROR_SERVICE_SPECIFIC_ERROR,
            serviceExitCode,
            pending ? ++checkpoint : 0,
            pending ? WAIT_HINT_MILLIS : 0);
    if (!registration.report(status)) {
      LOG.warn("SetServiceStatus({}) failed: Win32 error {}", state, scm.lastError());
    }
  }
}

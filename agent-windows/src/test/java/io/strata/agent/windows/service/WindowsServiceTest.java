package io.strata.agent.windows.service;

import static io.strata.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.platform.win32.Winsvc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The service host's side of the SCM protocol, against a scripted Service Control Manager. */
class WindowsServiceTest {

  /** Runs serviceMain on its own thread, as the SCM does, and records every status. */
  static final class FakeScm implements ServiceControlManager {
    final List<Status> statuses = new CopyOnWriteArrayList<>();
    volatile IntConsumer controls;
    boolean underScm = true;

    @Override
    public boolean startDispatcher(String serviceName, Runnable serviceMain) {
      if (!underScm) {
        return false;
      }
      Thread t = Thread.ofPlatform().start(serviceMain);
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return true;
    }

    @Override
    public Registration register(String serviceName, IntConsumer controls) {
      this.controls = controls;
      return status -> statuses.add(status);
    }

    @Override
    public int lastError() {
      return 1063; // ERROR_FAILED_SERVICE_CONTROLLER_CONNECT
    }

    List<Integer> states() {
      return statuses.stream().map(Status::currentState).toList();
    }
  }

  static final class Work implements WindowsService.Body {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final CompletableFuture<Integer> ended = new CompletableFuture<>();
    Exception failStart;

    @Override
    public void start() throws Exception {
      starts.incrementAndGet();
      if (failStart != null) {
        throw failStart;
      }
    }

    @Override
    public void stop() {
      stops.incrementAndGet();
    }

    @Override
    public CompletionStage<Integer> ended() {
      return ended;
    }
  }

  final FakeScm scm = new FakeScm();
  final Work work = new Work();

  int runInBackground(Runnable whileRunning) throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> exit.complete(WindowsService.run(scm, "StrataAgent", work)));
    await("RUNNING", () -> scm.states().contains(Winsvc.SERVICE_RUNNING));
    whileRunning.run();
    return exit.get();
  }

  @Test
  void startsReportsRunningAndStopsOnStopWithCheckPoints() throws Exception {
    int exit = runInBackground(() -> scm.controls.accept(Winsvc.SERVICE_CONTROL_STOP));

    assertThat(exit).isZero();
    assertThat(scm.states())
        .containsExactly(
            Winsvc.SERVICE_START_PENDING,
            Winsvc.SERVICE_RUNNING,
            Winsvc.SERVICE_STOP_PENDING,
            Winsvc.SERVICE_STOPPED);
    var running = scm.statuses.get(1);
    assertThat(running.controlsAccepted())
        .isEqualTo(Winsvc.SERVICE_ACCEPT_STOP | Winsvc.SERVICE_ACCEPT_SHUTDOWN);
    assertThat(scm.statuses.get(0).checkPoint()).isEqualTo(1);
    assertThat(scm.statuses.get(2).checkPoint()).isEqualTo(2);
    assertThat(scm.statuses.get(0).waitHintMillis()).isPositive();
    assertThat(scm.statuses.get(3))
        .isEqualTo(new ServiceControlManager.Status(Winsvc.SERVICE_STOPPED, 0, 0, 0, 0, 0));
    assertThat(work.stops).hasValue(1);
  }

  @Test
  void shutdownStopsToo_andASecondControlIsHarmless() throws Exception {
    int exit =
        runInBackground(
            () -> {
              scm.controls.accept(Winsvc.SERVICE_CONTROL_INTERROGATE);
              scm.controls.accept(Winsvc.SERVICE_CONTROL_SHUTDOWN);
              scm.controls.accept(Winsvc.SERVICE_CONTROL_STOP);
            });
    assertThat(exit).isZero();
    assertThat(work.stops).hasValue(1);
    assertThat(scm.states()).containsOnlyOnce(Winsvc.SERVICE_STOPPED);
  }

  @Test
  void whenTheWorkEndsByItselfTheServiceStopsWithItsCode() throws Exception {
    int exit = runInBackground(() -> work.ended.complete(0));
    assertThat(exit).isZero();
    assertThat(work.stops).hasValue(1);
    assertThat(scm.states()).endsWith(Winsvc.SERVICE_STOP_PENDING, Winsvc.SERVICE_STOPPED);
  }

  @Test
  void aFailedStartIsAServiceSpecificErrorSoRecoveryRestartsIt() {
    work.failStart = new IllegalStateException("the allocator URL is wrong");

    int exit = WindowsService.run(scm, "StrataAgent", work);

    assertThat(exit).isEqualTo(WindowsService.START_FAILED);
    assertThat(scm.states()).containsExactly(Winsvc.SERVICE_START_PENDING, Winsvc.SERVICE_STOPPED);
    var stopped = scm.statuses.get(1);
    assertThat(stopped.win32ExitCode()).isEqualTo(WindowsService.ERROR_SERVICE_SPECIFIC_ERROR);
    assertThat(stopped.serviceSpecificExitCode()).isEqualTo(1);
  }

  @Test
  void fromAConsoleItSaysItNeedsTheServiceControlManager() {
    scm.underScm = false;
    assertThatThrownBy(() -> WindowsService.run(scm, "StrataAgent", work))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Win32 error 1063")
        .hasMessageContaining("run without it from a console");
    assertThat(work.starts).hasValue(0);
  }
}

package io.strata.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.windows.exec.JobNotifications;
import io.strata.agent.windows.exec.JobSupervisor;
import io.strata.agent.windows.exec.Win32Exception;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures.CpuRateControlInformation;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.plan.CpuRate;
import io.strata.agent.windows.plan.JobEnd;
import io.strata.agent.windows.plan.JobPlan;
import io.strata.agent.windows.plan.LaunchSpec;
import io.strata.agent.windows.plan.SystemEnvironment;
import io.strata.api.CommandInfo;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.testkit.RequiresWindows;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JNA declarations against the real kernel32: what we write is what Windows reads back. */
@RequiresWindows
class JobObjectsOnWindowsTest {
  @TempDir Path sandbox;
  JobKernel32 kernel;
  JobNotifications notifications;
  JobSupervisor supervisor;
  Thread loop;

  @BeforeEach
  void start() {
    kernel = JobKernel32.load();
    notifications = new JobNotifications(kernel, 200);
    supervisor = new JobSupervisor(kernel, notifications.port());
    loop =
        Thread.ofPlatform()
            .daemon()
            .start(() -> notifications.run(supervisor, System::currentTimeMillis));
  }

  @AfterEach
  void stop() throws InterruptedException {
    notifications.close();
    loop.join(10_000);
    notifications.release();
  }

  LaunchSpec spec(String job) {
    return new LaunchSpec(
        job,
        supervisor.nextCompletionKey(),
        sandbox.toString(),
        sandbox.resolve("stdout").toString(),
        sandbox.resolve("stderr").toString(),
        SystemEnvironment.essentials(System.getenv()),
        kernel.GetActiveProcessorCount(JobConstants.ALL_PROCESSOR_GROUPS));
  }

  TaskInfo task(CommandInfo command, Resources resources, Long pids) {
    return new TaskInfo(
        TaskId.of("w"), null, command, null, resources, null, pids, null, null, null, null, null);
  }

  @Test
  void limitsReadBackAsWritten() throws Exception {
    String name = "strata-test-" + UUID.randomUUID();
    LaunchSpec spec = spec(name);
    JobSupervisor.Supervised s =
        supervisor.launch(
            JobPlan.launch(
                task(WindowsCommands.stubbornPing(), Resources.of(500, 256L << 20), 16L), spec));
    try {
      ExtendedLimitInformation ext = new ExtendedLimitInformation();
      assertThat(kernel.QueryInformationJobObject(s.job().job(), 9, ext, ext.size(), null))
          .isTrue();
      assertThat(ext.BasicLimitInformation.LimitFlags)
          .isEqualTo(
              JobConstants.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
                  | JobConstants.JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
                  | JobConstants.JOB_OBJECT_LIMIT_JOB_MEMORY
                  | JobConstants.JOB_OBJECT_LIMIT_ACTIVE_PROCESS);
      assertThat(ext.JobMemoryLimit.longValue()).isEqualTo(256L << 20);
      assertThat(ext.BasicLimitInformation.ActiveProcessLimit).isEqualTo(16);
      CpuRateControlInformation cpu = new CpuRateControlInformation();
      assertThat(kernel.QueryInformationJobObject(s.job().job(), 15, cpu, cpu.size(), null))
          .isTrue();
      assertThat(cpu.CpuRate).isEqualTo(CpuRate.hardCap(500, spec.logicalProcessors()));
      assertThat(supervisor.usage(name).processIds()).contains(s.job().pid());
    } finally {
      supervisor.kill(name, 0);
    }
    assertThat(s.end().get(60, TimeUnit.SECONDS)).isInstanceOf(JobEnd.Killed.class);
  }

  @Test
  void theExitCodeComesBackThroughTheNotifications() throws Exception {
    JobSupervisor.Supervised s =
        supervisor.launch(
            JobPlan.launch(
                task(CommandInfo.shell("exit 42"), Resources.of(100, 64L << 20), null),
                spec("strata-test-" + UUID.randomUUID())));
    assertThat(s.end().get(60, TimeUnit.SECONDS)).isEqualTo(new JobEnd.Exited(42));
  }

  @Test
  void aMissingProgramIsAClearErrorAndLeavesNoJob() {
    String name = "strata-test-" + UUID.randomUUID();
    assertThatThrownBy(
            () ->
                supervisor.launch(
                    JobPlan.launch(
                        task(
                            CommandInfo.argv("C:\\no\\such\\program.exe"),
                            Resources.of(100, 64L << 20),
                            null),
                        spec(name))))
        .isInstanceOf(Win32Exception.class)
        .hasMessageContaining("CreateProcessW failed")
        .hasMessageMatching("(?s).*Win32 error [23]\\).*");
    assertThat(kernel.OpenJobObjectW(JobConstants.JOB_OBJECT_QUERY, false, name)).isNull();
    assertThat(kernel.lastError()).isEqualTo(JobConstants.ERROR_FILE_NOT_FOUND);
  }

  @Test
  void discoveryCountsEveryProcessorGroup() {
    WindowsResources.Host host = WindowsResources.discover(kernel, sandbox);
    assertThat(host.logicalProcessors())
        .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(host.memoryBytes()).isGreaterThan(Runtime.getRuntime().maxMemory());
    assertThat(host.diskTotalBytes()).isGreaterThanOrEqualTo(host.diskFreeBytes()).isPositive();
  }
}

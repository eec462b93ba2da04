package io.strata.agent.windows.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.windows.plan.JobOperation.AddLimits;
import io.strata.agent.windows.plan.JobOperation.AssignToJob;
import io.strata.agent.windows.plan.JobOperation.AssociateCompletionPort;
import io.strata.agent.windows.plan.JobOperation.CreateJob;
import io.strata.agent.windows.plan.JobOperation.CreateSuspendedProcess;
import io.strata.agent.windows.plan.JobOperation.OpenOutputFile;
import io.strata.agent.windows.plan.JobOperation.ResumeProcess;
import io.strata.agent.windows.plan.JobOperation.SetCpuRateHardCap;
import io.strata.agent.windows.plan.JobOperation.ShareJobHandleWithTask;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobPlanTest {
  static final LaunchSpec SPEC =
      new LaunchSpec(
          "strata-web-1",
          7,
          "C:\\strata\\sandboxes\\web-1",
          "C:\\strata\\sandboxes\\web-1\\stdout",
          "C:\\strata\\sandboxes\\web-1\\stderr",
          Map.of("SystemRoot", "C:\\Windows", "PATH", "C:\\Windows\\system32"),
          8);

  static TaskInfo task(Resources resources, Long cpuLimit, Long pids) {
    return new TaskInfo(
        TaskId.of("web-1"),
        null,
        CommandInfo.argv("C:\\apps\\web server.exe", "--port", "8080"),
        null,
        resources,
        cpuLimit,
        pids,
        Map.of("Path", "C:\\apps"),
        null,
        null,
        null,
        null);
  }

  @Test
  void theProcessRunsNoInstructionOutsideItsJob() {
    List<JobOperation> ops = JobPlan.launch(task(Resources.of(2000, 512L << 20), null, 64L), SPEC);

    assertThat(ops)
        .extracting(op -> (Object) op.getClass())
        .containsExactly(
            CreateJob.class,
            AssociateCompletionPort.class,
            AddLimits.class,
            SetCpuRateHardCap.class,
            OpenOutputFile.class,
            OpenOutputFile.class,
            CreateSuspendedProcess.class,
            AssignToJob.class,
            ShareJobHandleWithTask.class,
            ResumeProcess.class);
    CreateSuspendedProcess create = (CreateSuspendedProcess) ops.get(6);
    assertThat(create.creationFlags() & CreationFlags.CREATE_SUSPENDED).isNotZero();
    assertThat(create.creationFlags() & CreationFlags.CREATE_NEW_PROCESS_GROUP).isNotZero();
    assertThat(ops.get(0)).isEqualTo(new CreateJob("strata-web-1"));
    assertThat(ops.get(1)).isEqualTo(new AssociateCompletionPort(7));
  }

  @Test
  void limitsFollowTheTask() {
    List<JobOperation> ops = JobPlan.launch(task(Resources.of(2000, 512L << 20), null, 64L), SPEC);

    AddLimits limits = (AddLimits) ops.get(2);
    assertThat(limits.flags())
        .isEqualTo(
            LimitFlags.KILL_ON_JOB_CLOSE
                | LimitFlags.DIE_ON_UNHANDLED_EXCEPTION
                | LimitFlags.JOB_MEMORY
                | LimitFlags.ACTIVE_PROCESS);
    assertThat(limits.jobMemoryLimitBytes()).isEqualTo(512L << 20);
    assertThat(limits.activeProcessLimit()).isEqualTo(64);
    // 2 of 8 logical processors = 25% = 2500 / 10000
    assertThat(ops.get(3)).isEqualTo(new SetCpuRateHardCap(2500));
  }

  @Test
  void theCpuCapIsTheLimitWhenTheTaskSetsOne() {
    List<JobOperation> ops = JobPlan.launch(task(Resources.of(1000, 0), 4000L, null), SPEC);

    assertThat(ops).contains(new SetCpuRateHardCap(5000));
    AddLimits limits = (AddLimits) ops.get(2);
    assertThat(limits.flags() & LimitFlags.JOB_MEMORY).isZero();
    assertThat(limits.flags() & LimitFlags.ACTIVE_PROCESS).isZero();
    assertThat(limits.flags() & LimitFlags.KILL_ON_JOB_CLOSE).isNotZero();
  }

  @Test
  void noCpuCapWithoutCpus() {
    List<JobOperation> ops = JobPlan.launch(task(Resources.of(0, 64L << 20), null, null), SPEC);
    assertThat(ops).noneMatch(op -> op instanceof SetCpuRateHardCap);
  }

  @Test
  void theCommandLineAndEnvironmentAreWhatWindowsWillSee() {
    List<JobOperation> ops = JobPlan.launch(task(Resources.of(500, 64L << 20), null, null), SPEC);
    CreateSuspendedProcess create =
        (CreateSuspendedProcess)
            ops.stream()
                .filter(op -> op instanceof CreateSuspendedProcess)
                .findFirst()
                .orElseThrow();

    assertThat(create.commandLine()).isEqualTo("\"C:\\apps\\web server.exe\" --port 8080");
    assertThat(CommandLines.split(create.commandLine()))
        .containsExactly("C:\\apps\\web server.exe", "--port", "8080");
    // The task's Path replaces the agent's PATH (names are case-insensitive on Windows).
    assertThat(create.environment())
        .containsEntry("Path", "C:\\apps")
        .doesNotContainKey("PATH")
        .containsEntry("SystemRoot", "C:\\Windows")
        .containsEntry("STRATA_TASK_ID", "web-1")
        .containsEntry("STRATA_SANDBOX", SPEC.workingDirectory());
    assertThat(create.workingDirectory()).isEqualTo(SPEC.workingDirectory());
    assertThat(ops).contains(new OpenOutputFile(JobOperation.Stream.STDOUT, SPEC.stdoutPath()));
    assertThat(ops).contains(new OpenOutputFile(JobOperation.Stream.STDERR, SPEC.stderrPath()));
  }

  @Test
  void aDryRunPrintsEveryOperationInOrder() {
    String dry =
        JobPlan.dryRun(JobPlan.launch(task(Resources.of(2000, 512L << 20), null, 64L), SPEC));

    assertThat(dry.lines()).hasSize(10);
    assertThat(dry)
        .contains("1. CreateJobObjectW(name=strata-web-1)")
        .contains(
            "LimitFlags |= ACTIVE_PROCESS|JOB_MEMORY|DIE_ON_UNHANDLED_EXCEPTION|KILL_ON_JOB_CLOSE")
        .contains("JobMemoryLimit=536870912")
        .contains("CpuRate=2500")
        .contains("flags=CREATE_SUSPENDED|CREATE_NEW_PROCESS_GROUP|CREATE_UNICODE_ENVIRONMENT")
        .contains("10. ResumeThread(main thread)");
  }

  @Test
  void aContainerTaskIsNotANativeJob() {
    TaskInfo container =
        new TaskInfo(
            TaskId.of("c"),
            null,
            null,
            ContainerInfo.of("mcr.microsoft.com/windows/nanoserver"),
            Resources.of(100, 1 << 20),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> JobPlan.launch(container, SPEC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs one");
  }

  @Test
  void execRunsInTheExistingJob() {
    List<JobOperation> ops =
        JobPlan.exec(CommandInfo.shell("echo hi"), Map.of("A", "1"), "C:\\s", "C:\\s\\out");
    assertThat(ops).noneMatch(op -> op instanceof CreateJob);
    assertThat(ops.get(ops.size() - 2)).isEqualTo(new AssignToJob());
    assertThat(((CreateSuspendedProcess) ops.get(2)).commandLine())
        .isEqualTo("cmd.exe /d /s /c \"echo hi\"");
  }
}

package io.strata.agent.windows.exec;

import static io.strata.agent.windows.exec.MockKernel.JOB;
import static io.strata.agent.windows.exec.MockKernel.PORT;
import static io.strata.agent.windows.exec.MockKernel.PROCESS;
import static io.strata.agent.windows.exec.MockKernel.STDERR;
import static io.strata.agent.windows.exec.MockKernel.STDOUT;
import static io.strata.agent.windows.exec.MockKernel.THREAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Structure;
import com.sun.jna.platform.win32.WinBase.SECURITY_ATTRIBUTES;
import com.sun.jna.platform.win32.WinBase.STARTUPINFO;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobStructures.AssociateCompletionPort;
import io.strata.agent.windows.jna.JobStructures.CpuRateControlInformation;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.plan.JobOperation;
import io.strata.agent.windows.plan.JobPlan;
import io.strata.agent.windows.plan.JobPlanTestData;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class JobOperationExecutorTest {
  final MockKernel mk = new MockKernel();
  final JobOperationExecutor launcher = new JobOperationExecutor(mk.k, PORT);
  final List<JobOperation> plan = JobPlan.launch(JobPlanTestData.task(), JobPlanTestData.SPEC);

  @Test
  void createsSetsLimitsCreatesSuspendedAssignsThenResumes() {
    RunningJob job = launcher.perform(plan);

    InOrder order = inOrder(mk.k);
    order.verify(mk.k).CreateJobObjectW(isNull(), eq("strata-web-1"));
    order
        .verify(mk.k)
        .SetInformationJobObject(eq(JOB), eq(7), any(AssociateCompletionPort.class), eq(16));
    order
        .verify(mk.k)
        .QueryInformationJobObject(
            eq(JOB), eq(9), any(ExtendedLimitInformation.class), eq(144), isNull());
    order
        .verify(mk.k)
        .SetInformationJobObject(eq(JOB), eq(9), any(ExtendedLimitInformation.class), eq(144));
    order
        .verify(mk.k)
        .SetInformationJobObject(eq(JOB), eq(15), any(CpuRateControlInformation.class), eq(8));
    order
        .verify(mk.k)
        .CreateProcessW(
            isNull(), any(), isNull(), isNull(), eq(true), anyInt(), any(), any(), any(), any());
    order.verify(mk.k).AssignProcessToJobObject(JOB, PROCESS);
    order
        .verify(mk.k)
        .DuplicateHandle(
            any(),
            eq(JOB),
            eq(PROCESS),
            any(),
            eq(JobPlan.TASK_JOB_HANDLE_ACCESS),
            eq(false),
            eq(0));
    order.verify(mk.k).ResumeThread(THREAD);

    assertThat(job).isEqualTo(new RunningJob("strata-web-1", 7, JOB, PROCESS, MockKernel.PID));
    // Only the job and the process stay open; the thread and the sandbox files are closed.
    assertThat(mk.closed).containsExactlyInAnyOrder(THREAD, STDOUT, STDERR);
    verify(mk.k, never()).TerminateJobObject(any(), anyInt());
  }

  @Test
  void limitsAreOredIntoTheFlagsAlreadySet() {
    launcher.perform(plan);

    ArgumentCaptor<Structure> info = ArgumentCaptor.forClass(Structure.class);
    verify(mk.k, org.mockito.Mockito.atLeastOnce())
        .SetInformationJobObject(eq(JOB), anyInt(), info.capture(), anyInt());
    ExtendedLimitInformation limits =
        info.getAllValues().stream()
            .filter(s -> s instanceof ExtendedLimitInformation)
            .map(s -> (ExtendedLimitInformation) s)
            .findFirst()
            .orElseThrow();
    assertThat(limits.BasicLimitInformation.LimitFlags)
        .isEqualTo(
            MockKernel.EXISTING_FLAGS
                | JobConstants.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
                | JobConstants.JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION
                | JobConstants.JOB_OBJECT_LIMIT_JOB_MEMORY
                | JobConstants.JOB_OBJECT_LIMIT_ACTIVE_PROCESS);
    assertThat(limits.JobMemoryLimit.longValue()).isEqualTo(512L << 20);
    assertThat(limits.BasicLimitInformation.ActiveProcessLimit).isEqualTo(64);
    CpuRateControlInformation cpu =
        info.getAllValues().stream()
            .filter(s -> s instanceof CpuRateControlInformation)
            .map(s -> (CpuRateControlInformation) s)
            .findFirst()
            .orElseThrow();
    assertThat(cpu.ControlFlags)
        .isEqualTo(
            JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_ENABLE
                | JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP);
    assertThat(cpu.CpuRate).isEqualTo(2500);
    AssociateCompletionPort port =
        info.getAllValues().stream()
            .filter(s -> s instanceof AssociateCompletionPort)
            .map(s -> (AssociateCompletionPort) s)
            .findFirst()
            .orElseThrow();
    assertThat(port.CompletionPort).isEqualTo(PORT);
    assertThat(port.CompletionKey.longValue()).isEqualTo(7);
  }

  @Test
  void theProcessIsCreatedSuspendedWithItsOutputInTheSandbox() {
    launcher.perform(plan);

    ArgumentCaptor<Integer> flags = ArgumentCaptor.forClass(Integer.class);
    ArgumentCaptor<STARTUPINFO> startup = ArgumentCaptor.forClass(STARTUPINFO.class);
    ArgumentCaptor<char[]> commandLine = ArgumentCaptor.forClass(char[].class);
    verify(mk.k)
        .CreateProcessW(
            isNull(),
            commandLine.capture(),
            isNull(),
            isNull(),
            eq(true),
            flags.capture(),
            any(),
            eq(JobPlanTestData.SPEC.workingDirectory()),
            startup.capture(),
            any());
    assertThat(flags.getValue() & JobConstants.CREATE_SUSPENDED).isNotZero();
    assertThat(flags.getValue() & JobConstants.CREATE_NEW_PROCESS_GROUP).isNotZero();
    assertThat(flags.getValue() & JobConstants.CREATE_UNICODE_ENVIRONMENT).isNotZero();
    assertThat(startup.getValue().dwFlags).isEqualTo(JobConstants.STARTF_USESTDHANDLES);
    assertThat(startup.getValue().hStdOutput).isEqualTo(STDOUT);
    assertThat(startup.getValue().hStdError).isEqualTo(STDERR);
    assertThat(new String(commandLine.getValue()))
        .isEqualTo("\"C:\\apps\\web server.exe\" --port 8080\0");
    ArgumentCaptor<SECURITY_ATTRIBUTES> sa = ArgumentCaptor.forClass(SECURITY_ATTRIBUTES.class);
    verify(mk.k, org.mockito.Mockito.times(2))
        .CreateFileW(
            anyString(),
            eq(JobConstants.FILE_APPEND_DATA),
            anyInt(),
            sa.capture(),
            eq(JobConstants.OPEN_ALWAYS),
            anyInt(),
            isNull());
    assertThat(sa.getAllValues()).allMatch(a -> a.bInheritHandle);
  }

  @Test
  void anExistingJobOfTheSameNameIsNeverAdopted() {
    when(mk.k.lastError()).thenReturn(JobConstants.ERROR_ALREADY_EXISTS);

    assertThatThrownBy(() -> launcher.perform(plan))
        .isInstanceOf(Win32Exception.class)
        .hasMessageContaining("already exists");
    verify(mk.k).SetLastError(0);
    assertThat(mk.closed).containsExactly(JOB);
    verify(mk.k, never())
        .CreateProcessW(
            any(), any(), any(), any(), anyBoolean(), anyInt(), any(), any(), any(), any());
  }

  /** Each step of the launch, made to fail, and what must have been created by then. */
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            "CreateJobObjectW",
            (Consumer<MockKernel>)
                m -> doReturn(null).when(m.k).CreateJobObjectW(any(), anyString()),
            false,
            false),
        Arguments.of(
            "SetInformationJobObject",
            (Consumer<MockKernel>)
                m ->
                    doReturn(false)
                        .when(m.k)
                        .SetInformationJobObject(any(), eq(7), any(), anyInt()),
            true,
            false),
        Arguments.of(
            "QueryInformationJobObject",
            (Consumer<MockKernel>)
                m ->
                    doReturn(false)
                        .when(m.k)
                        .QueryInformationJobObject(any(), anyInt(), any(), anyInt(), any()),
            true,
            false),
        Arguments.of(
            "SetInformationJobObject",
            (Consumer<MockKernel>)
                m ->
                    doReturn(false)
                        .when(m.k)
                        .SetInformationJobObject(any(), eq(15), any(), anyInt()),
            true,
            false),
        Arguments.of(
            "CreateFileW",
            (Consumer<MockKernel>)
                m ->
                    when(m.k.CreateFileW(
                            eq(JobPlanTestData.SPEC.stderrPath()),
                            anyInt(),
                            anyInt(),
                            any(),
                            anyInt(),
                            anyInt(),
                            any()))
                        .thenReturn(null),
            true,
            false),
        Arguments.of(
            "CreateProcessW",
            (Consumer<MockKernel>)
                m ->
                    doReturn(false)
                        .when(m.k)
                        .CreateProcessW(
                            any(),
                            any(),
                            any(),
                            any(),
                            anyBoolean(),
                            anyInt(),
                            any(),
                            any(),
                            any(),
                            any()),
            true,
            false),
        Arguments.of(
            "AssignProcessToJobObject",
            (Consumer<MockKernel>)
                m -> doReturn(false).when(m.k).AssignProcessToJobObject(any(), any()),
            true,
            true),
        Arguments.of(
            "DuplicateHandle",
            (Consumer<MockKernel>)
                m ->
                    doReturn(false)
                        .when(m.k)
                        .DuplicateHandle(
                            any(), any(), any(), any(), anyInt(), anyBoolean(), anyInt()),
            true,
            true),
        Arguments.of(
            "ResumeThread",
            (Consumer<MockKernel>) m -> doReturn(-1).when(m.k).ResumeThread(any()),
            true,
            true));
  }

  @ParameterizedTest(name = "{0} fails")
  @MethodSource("failures")
  void aFailedStepIsReportedAndEverythingCreatedIsUndone(
      String function, Consumer<MockKernel> breakIt, boolean jobCreated, boolean processCreated) {
    MockKernel m = new MockKernel();
    breakIt.accept(m);
    doReturn(JobConstants.ERROR_ACCESS_DENIED).when(m.k).lastError();

    assertThatThrownBy(() -> new JobOperationExecutor(m.k, PORT).perform(plan))
        .isInstanceOf(Win32Exception.class)
        .hasMessageContaining(function + " failed: Access is denied. (Win32 error 5)")
        .satisfies(e -> assertThat(((Win32Exception) e).code()).isEqualTo(5));

    // No handle leaks: everything opened was closed, exactly once.
    assertThat(m.closed).containsExactlyInAnyOrderElementsOf(m.opened);
    verify(m.k, jobCreated ? org.mockito.Mockito.times(1) : never())
        .TerminateJobObject(eq(JOB), anyInt());
    verify(m.k, processCreated ? org.mockito.Mockito.times(1) : never())
        .TerminateProcess(eq(PROCESS), anyInt());
    if (!function.equals("ResumeThread")) {
      verify(m.k, never()).ResumeThread(any());
    }
  }
}

package io.strata.agent.windows.exec;

import static io.strata.agent.windows.exec.MockKernel.JOB;
import static io.strata.agent.windows.exec.MockKernel.PID;
import static io.strata.agent.windows.exec.MockKernel.PORT;
import static io.strata.agent.windows.exec.MockKernel.PROCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.sun.jna.platform.win32.BaseTSD.SIZE_T;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobStructures.AssociateCompletionPort;
import io.strata.agent.windows.jna.JobStructures.BasicAndIoAccountingInformation;
import io.strata.agent.windows.jna.JobStructures.BasicProcessIdList;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.jna.JobStructures.ProcessMemoryCounters;
import io.strata.agent.windows.plan.ExitCodes;
import io.strata.agent.windows.plan.JobEnd;
import io.strata.agent.windows.plan.JobPlan;
import io.strata.agent.windows.plan.JobPlanTestData;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class JobSupervisorTest {
  final MockKernel mk = new MockKernel();
  final JobSupervisor supervisor = new JobSupervisor(mk.k, PORT);

  JobSupervisor.Supervised launch() {
    return supervisor.launch(JobPlan.launch(JobPlanTestData.task(), JobPlanTestData.SPEC));
  }

  @Test
  void theMemoryLimitNotificationEndsTheJobAndIsReportedAsSuch() {
    JobSupervisor.Supervised s = launch();
    mk.peakJobMemory = (512L << 20) - 8192;
    mk.exited(ExitCodes.TERMINATED_BY_AGENT);

    supervisor.onMessage(new JobMessage(7, JobConstants.JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, PID));

    verify(mk.k, org.mockito.Mockito.atLeastOnce())
        .TerminateJobObject(JOB, ExitCodes.TERMINATED_BY_AGENT);
    assertThat(s.end()).isCompleted();
    JobEnd end = s.end().join();
    assertThat(end).isInstanceOf(JobEnd.MemoryLimit.class);
    assertThat(((JobEnd.MemoryLimit) end).limitBytes())
        .isEqualTo(0); // mock reports no JOB_MEMORY flag
    assertThat(mk.closed).contains(JOB, PROCESS);
    assertThat(supervisor.isSupervised("strata-web-1")).isFalse();
  }

  @Test
  void withoutNotificationsAPollFindsTheExit() {
    JobSupervisor.Supervised s = launch();
    supervisor.poll();
    assertThat(s.end()).isNotDone();

    mk.exited(3);
    supervisor.poll();

    assertThat(s.end().join()).isEqualTo(new JobEnd.Exited(3));
    // The rest of the task's tree goes with it, then the handles.
    verify(mk.k).TerminateJobObject(JOB, ExitCodes.TERMINATED_BY_AGENT);
    assertThat(mk.closed).contains(JOB, PROCESS);
  }

  @Test
  void lateAndForeignMessagesAreHarmless() {
    JobSupervisor.Supervised s = launch();
    supervisor.onMessage(new JobMessage(999, JobConstants.JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, 1));
    supervisor.onMessage(new JobMessage(7, JobConstants.JOB_OBJECT_MSG_NEW_PROCESS, 77));
    assertThat(s.end()).isNotDone();
    verify(mk.k, never()).TerminateJobObject(any(), anyInt());

    mk.exited(0);
    supervisor.onMessage(new JobMessage(7, JobConstants.JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO, 0));
    supervisor.onMessage(new JobMessage(7, JobConstants.JOB_OBJECT_MSG_EXIT_PROCESS, PID));
    assertThat(s.end().join()).isEqualTo(new JobEnd.Exited(0));
    verify(mk.k, times(1)).TerminateJobObject(any(), anyInt());
  }

  @Test
  void killSendsCtrlBreakThenTerminatesTheWholeJob() {
    JobSupervisor.Supervised s = launch();
    doReturn(true).when(mk.k).AttachConsole(PID);
    doReturn(true).when(mk.k).GenerateConsoleCtrlEvent(JobConstants.CTRL_BREAK_EVENT, PID);
    doReturn(JobConstants.WAIT_TIMEOUT).when(mk.k).WaitForSingleObject(PROCESS, 5000);
    doReturn(JobConstants.WAIT_OBJECT_0)
        .when(mk.k)
        .WaitForSingleObject(PROCESS, JobSupervisor.TERMINATION_WAIT_MILLIS);
    doAnswer(
            a -> {
              a.<IntByReference>getArgument(1).setValue(137);
              return true;
            })
        .when(mk.k)
        .GetExitCodeProcess(eq(PROCESS), any());

    JobEnd end = supervisor.kill("strata-web-1", 5000);

    InOrder order = inOrder(mk.k);
    order.verify(mk.k).AttachConsole(PID);
    order.verify(mk.k).GenerateConsoleCtrlEvent(JobConstants.CTRL_BREAK_EVENT, PID);
    order.verify(mk.k).FreeConsole();
    order.verify(mk.k).WaitForSingleObject(PROCESS, 5000);
    order.verify(mk.k).TerminateJobObject(JOB, ExitCodes.TERMINATED_BY_AGENT);
    assertThat(end).isEqualTo(new JobEnd.Killed(137, false));
    assertThat(s.end().join()).isEqualTo(end);
    assertThat(mk.closed).contains(JOB, PROCESS);
  }

  @Test
  void aTaskThatStopsWithinItsGraceIsKilledGracefully() {
    launch();
    doReturn(true).when(mk.k).AttachConsole(PID);
    doReturn(true).when(mk.k).GenerateConsoleCtrlEvent(JobConstants.CTRL_BREAK_EVENT, PID);
    mk.exited(0xC000013A);

    JobEnd end = supervisor.kill("strata-web-1", 5000);

    assertThat(end).isEqualTo(new JobEnd.Killed(0xC000013A, true));
    // Whatever it left behind is terminated anyway: the whole tree goes.
    verify(mk.k, times(2)).TerminateJobObject(eq(JOB), anyInt());
  }

  @Test
  void anAgentWithAConsoleSignalsDirectlyAndATaskWithoutOneIsTerminatedAtOnce() {
    launch();
    doReturn(false).when(mk.k).AttachConsole(PID);
    doReturn(JobConstants.ERROR_ACCESS_DENIED).when(mk.k).lastError();
    doReturn(true).when(mk.k).GenerateConsoleCtrlEvent(JobConstants.CTRL_BREAK_EVENT, PID);
    assertThat(ConsoleSignals.ctrlBreak(mk.k, PID)).isTrue();
    verify(mk.k, never()).FreeConsole();

    doReturn(JobConstants.ERROR_INVALID_HANDLE).when(mk.k).lastError();
    assertThat(ConsoleSignals.ctrlBreak(mk.k, PID)).isFalse();

    doReturn(JobConstants.WAIT_OBJECT_0)
        .when(mk.k)
        .WaitForSingleObject(PROCESS, JobSupervisor.TERMINATION_WAIT_MILLIS);
    supervisor.kill("strata-web-1", 60_000);
    verify(mk.k, never()).WaitForSingleObject(PROCESS, 60_000);
  }

  @Test
  void aKillTheOsRefusesIsAnErrorWithTheReason() {
    JobSupervisor.Supervised s = launch();
    doReturn(false).when(mk.k).TerminateJobObject(JOB, ExitCodes.TERMINATED_BY_AGENT);
    doReturn(JobConstants.ERROR_ACCESS_DENIED).when(mk.k).lastError();

    assertThatThrownBy(() -> supervisor.kill("strata-web-1", 0))
        .isInstanceOf(Win32Exception.class)
        .hasMessageContaining("TerminateJobObject failed: Access is denied.");
    assertThat(s.end()).isNotDone();
    assertThat(supervisor.isSupervised("strata-web-1")).isTrue();
  }

  @Test
  void usageComesFromAccountingAndTheProcessList() {
    launch();
    doAnswer(
            a -> {
              Object info = a.getArgument(2);
              if (info instanceof BasicAndIoAccountingInformation acct) {
                acct.BasicInfo.TotalUserTime = 30;
                acct.BasicInfo.TotalKernelTime = 12;
                acct.BasicInfo.ActiveProcesses = 2;
                acct.BasicInfo.TotalProcesses = 5;
                acct.IoInfo.ReadTransferCount = 1000;
                acct.IoInfo.WriteTransferCount = 2000;
              } else if (info instanceof BasicProcessIdList list) {
                list.NumberOfAssignedProcesses = 2;
                list.NumberOfProcessIdsInList = 2;
                list.ProcessIdList[0] = new ULONG_PTR(PID);
                list.ProcessIdList[1] = new ULONG_PTR(PID + 1);
              } else if (info instanceof ExtendedLimitInformation ext) {
                ext.PeakJobMemoryUsed = new SIZE_T(9000);
              }
              return true;
            })
        .when(mk.k)
        .QueryInformationJobObject(eq(JOB), anyInt(), any(), anyInt(), any());
    HANDLE p1 = MockKernel.handle(0x501);
    HANDLE p2 = MockKernel.handle(0x502);
    doReturn(p1).when(mk.k).OpenProcess(anyInt(), anyBoolean(), eq(PID));
    doReturn(p2).when(mk.k).OpenProcess(anyInt(), anyBoolean(), eq(PID + 1));
    doAnswer(
            a -> {
              ProcessMemoryCounters c = a.getArgument(1);
              c.PagefileUsage = new SIZE_T(a.getArgument(0).equals(p1) ? 4096 : 1024);
              c.WorkingSetSize = new SIZE_T(100);
              return true;
            })
        .when(mk.k)
        .K32GetProcessMemoryInfo(any(), any(), anyInt());

    JobUsage u = supervisor.usage("strata-web-1");

    assertThat(u.userCpuNanos()).isEqualTo(3000);
    assertThat(u.kernelCpuNanos()).isEqualTo(1200);
    assertThat(u.memoryBytes()).isEqualTo(5120);
    assertThat(u.workingSetBytes()).isEqualTo(200);
    assertThat(u.peakJobMemoryBytes()).isEqualTo(9000);
    assertThat(u.readBytes()).isEqualTo(1000);
    assertThat(u.writeBytes()).isEqualTo(2000);
    assertThat(u.activeProcesses()).isEqualTo(2);
    assertThat(u.processIds()).containsExactly(PID, PID + 1);
    assertThat(mk.closed).contains(p1, p2);
  }

  @Test
  void recoveryReopensTheJobByNameAndReassociatesThePort() {
    doReturn(JOB)
        .when(mk.k)
        .OpenJobObjectW(JobConstants.JOB_OBJECT_ALL_ACCESS, false, "strata-web-1");
    doReturn(PROCESS).when(mk.k).OpenProcess(anyInt(), eq(false), eq(PID));
    doAnswer(
            a -> {
              a.<IntByReference>getArgument(2).setValue(1);
              return true;
            })
        .when(mk.k)
        .IsProcessInJob(eq(PROCESS), eq(JOB), any());

    JobSupervisor.Recovery r = supervisor.recover("strata-web-1", PID);

    assertThat(r).isInstanceOf(JobSupervisor.Recovery.Reattached.class);
    CompletableFuture<JobEnd> end = ((JobSupervisor.Recovery.Reattached) r).supervised().end();
    assertThat(end).isNotDone();
    org.mockito.ArgumentCaptor<AssociateCompletionPort> assoc =
        org.mockito.ArgumentCaptor.forClass(AssociateCompletionPort.class);
    verify(mk.k, times(2)).SetInformationJobObject(eq(JOB), eq(7), assoc.capture(), eq(16));
    HANDLE none = assoc.getAllValues().get(0).CompletionPort;
    assertThat(none == null || none.getPointer() == null)
        .as("no port: the association is removed")
        .isTrue();
    assertThat(assoc.getAllValues().get(1).CompletionPort).isEqualTo(PORT);

    mk.exited(4);
    supervisor.poll();
    assertThat(end.join()).isEqualTo(new JobEnd.Exited(4));
  }

  @Test
  void aJobWhoseNameIsGoneEndedWhileTheAgentWasDown() {
    doReturn(null).when(mk.k).OpenJobObjectW(anyInt(), anyBoolean(), anyString());
    doReturn(JobConstants.ERROR_FILE_NOT_FOUND).when(mk.k).lastError();

    JobSupervisor.Recovery r = supervisor.recover("strata-web-1", PID);

    assertThat(r).isInstanceOf(JobSupervisor.Recovery.Gone.class);
    assertThat(((JobSupervisor.Recovery.Gone) r).end().message())
        .contains("while the agent was down");
  }

  @Test
  void aReusedPidIsNotTakenForTheTask() {
    doReturn(JOB).when(mk.k).OpenJobObjectW(anyInt(), anyBoolean(), anyString());
    doReturn(PROCESS).when(mk.k).OpenProcess(anyInt(), eq(false), eq(PID));
    doAnswer(
            a -> {
              a.<IntByReference>getArgument(2).setValue(0);
              return true;
            })
        .when(mk.k)
        .IsProcessInJob(any(), any(), any());

    JobSupervisor.Recovery r = supervisor.recover("strata-web-1", PID);

    assertThat(r).isInstanceOf(JobSupervisor.Recovery.Gone.class);
    verify(mk.k).TerminateJobObject(JOB, ExitCodes.TERMINATED_BY_AGENT);
    assertThat(mk.closed).contains(JOB, PROCESS);
  }

  @Test
  void anAdoptedJobWhoseProcessHasExitedEndsAtOnceWithItsRealExitCode() {
    mk.exited(7);

    JobSupervisor.Supervised s = supervisor.adopt("strata-web-1", JOB, PROCESS, PID);

    assertThat(s.end().join()).isEqualTo(new JobEnd.Exited(7));
    assertThat(mk.closed).contains(JOB, PROCESS);
  }

  @Test
  void detachingLeavesTasksRunning() {
    JobSupervisor.Supervised s = launch();
    supervisor.detachAll();
    verify(mk.k, never()).TerminateJobObject(any(), anyInt());
    assertThat(mk.closed).contains(JOB, PROCESS);
    assertThat(s.end()).isNotDone();
    assertThat(supervisor.supervisedCount()).isZero();
  }
}

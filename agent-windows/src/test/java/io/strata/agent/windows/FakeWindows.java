package io.strata.agent.windows;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;

import com.github.dockerjava.api.DockerClient;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTRByReference;
import com.sun.jna.platform.win32.WinBase.MEMORYSTATUSEX;
import com.sun.jna.platform.win32.WinDef.DWORDLONG;
import com.sun.jna.platform.win32.WinNT.LARGE_INTEGER;
import com.sun.jna.ptr.IntByReference;
import io.strata.agent.windows.exec.Accounts;
import io.strata.agent.windows.exec.MockKernel;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.plan.TaskAccount;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A Windows machine for the agent on any OS: kernel32 is a {@link MockKernel} (every call
 * succeeds), its notification port times out until the agent closes it, discovery finds 8 logical
 * processors, 16 GiB and 100 GiB free on the work volume; the agent runs as {@code
 * WIN-1\strata-svc} and the machine also has {@code SYSTEM} and {@code Administrator}.
 */
final class FakeWindows {
  static final int STILL_ACTIVE = 259;
  static final TaskAccount.AgentAccount AGENT =
      new TaskAccount.AgentAccount("strata-svc", "WIN-1", "S-1-5-21-7-7-7-1001");
  static final Map<String, String> SIDS =
      Map.of(
          "system", "S-1-5-18",
          "administrator", "S-1-5-21-7-7-7-500",
          "win-1\\strata-svc", AGENT.sid());

  final MockKernel mk = new MockKernel();
  final JobKernel32 k = mk.k;
  private volatile boolean portClosed;
  private volatile Integer exitCode;

  FakeWindows() {
    doReturn(MockKernel.PORT).when(k).CreateIoCompletionPort(any(), eq(null), eq(null), eq(1));
    doReturn(JobConstants.WAIT_TIMEOUT).when(k).lastError();
    doAnswer(
            a -> {
              if (portClosed) {
                a.<ULONG_PTRByReference>getArgument(2).setValue(new ULONG_PTR(-1L));
                return true;
              }
              Thread.sleep(20);
              return false;
            })
        .when(k)
        .GetQueuedCompletionStatus(any(), any(), any(), any(), anyInt());
    doAnswer(
            a -> {
              portClosed = true;
              return true;
            })
        .when(k)
        .PostQueuedCompletionStatus(any(), anyInt(), any(), any());
    doReturn(true).when(k).GetProcessTimes(any(), any(), any(), any(), any());
    // The task's process, as the agent's threads see it; stubbed once, before they run (Mockito
    // does not support stubbing a mock while other threads call it).
    doAnswer(a -> exitCode == null ? JobConstants.WAIT_TIMEOUT : JobConstants.WAIT_OBJECT_0)
        .when(k)
        .WaitForSingleObject(eq(MockKernel.PROCESS), anyInt());
    doAnswer(
            a -> {
              Integer code = exitCode;
              a.<IntByReference>getArgument(1).setValue(code == null ? STILL_ACTIVE : code);
              return true;
            })
        .when(k)
        .GetExitCodeProcess(eq(MockKernel.PROCESS), any());
    doAnswer(
            a -> {
              a.<MEMORYSTATUSEX>getArgument(0).ullTotalPhys = new DWORDLONG(16L << 30);
              return true;
            })
        .when(k)
        .GlobalMemoryStatusEx(any());
    doAnswer(
            a -> {
              a.<LARGE_INTEGER>getArgument(1).u.value = 100L << 30;
              a.<LARGE_INTEGER>getArgument(2).u.value = 250L << 30;
              a.<LARGE_INTEGER>getArgument(3).u.value = 100L << 30;
              return true;
            })
        .when(k)
        .GetDiskFreeSpaceExW(anyString(), any(), any(), any());
  }

  /** The task's main process exits with {@code code} (seen at the agent's next poll). */
  void exit(int code) {
    exitCode = code;
  }

  static Accounts accounts() {
    return new Accounts() {
      @Override
      public Optional<String> sidOf(String user) {
        return Optional.ofNullable(SIDS.get(user.toLowerCase(java.util.Locale.ROOT)));
      }

      @Override
      public TaskAccount.AgentAccount current() {
        return AGENT;
      }
    };
  }

  WindowsNode.Platform platform(Function<String, DockerClient> docker) {
    return new WindowsNode.Platform(
        k,
        accounts(),
        Map.of("COMPUTERNAME", "WIN-1", "SystemRoot", "C:\\Windows", "HOME", "/secret"),
        "java.exe -cp agent.jar io.strata.agent.windows.exec.HolderMain",
        docker,
        Clock.systemUTC());
  }

  WindowsNode.Platform platform() {
    return platform(
        host -> {
          throw new AssertionError("no Docker engine in this test, asked for " + host);
        });
  }
}

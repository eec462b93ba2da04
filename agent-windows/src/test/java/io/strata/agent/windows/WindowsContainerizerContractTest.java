package io.strata.agent.windows;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.testing.ContainerizerContract;
import io.strata.agent.windows.exec.HolderCommand;
import io.strata.agent.windows.exec.NativeAccounts;
import io.strata.agent.windows.exec.TaskUsers;
import io.strata.agent.windows.exec.WindowsContainerizer;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures.BasicProcessIdList;
import io.strata.agent.windows.plan.JobNames;
import io.strata.api.CommandInfo;
import io.strata.testkit.RequiresWindows;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * agent-core's contract kit against the real Windows containerizer: real job objects, real
 * processes. Runs on Windows (the windows workflow sets STRATA_REQUIRE_WINDOWS=1, so it cannot be
 * skipped there); skipped, visibly, elsewhere.
 */
@RequiresWindows
class WindowsContainerizerContractTest extends ContainerizerContract {

  @Override
  protected Containerizer createContainerizer(Path workDir) {
    return new WindowsContainerizer(
        JobKernel32.load(),
        workDir,
        Clock.systemUTC(),
        new TaskUsers(
            new NativeAccounts(), io.strata.agent.windows.plan.TaskAccount.DEFAULT_ALIASES),
        System.getenv(),
        HolderCommand.ofThisJvm());
  }

  @Override
  protected CommandInfo exitWith(int code) {
    return CommandInfo.shell("exit " + code);
  }

  @Override
  protected CommandInfo echo(String text) {
    return CommandInfo.shell("echo " + text);
  }

  @Override
  protected CommandInfo printEnv(String name) {
    return CommandInfo.shell("echo %" + name + "%");
  }

  @Override
  protected CommandInfo sleepForever() {
    return WindowsCommands.sleeper(false, "forever");
  }

  @Override
  protected CommandInfo ignorePoliteStop() {
    return WindowsCommands.stubbornPing();
  }

  @Override
  protected CommandInfo processTree() {
    // cmd.exe, plus two pings (one started through "start", in a new process group): all in the
    // job.
    return CommandInfo.shell(
        "start \"\" /b ping.exe -n 100000 127.0.0.1 >nul & ping.exe -n 100000 127.0.0.1 >nul");
  }

  @Override
  protected CommandInfo exitWhenFileAppears(String fileName, int code) {
    return WindowsCommands.sleeper(false, "waitfile", fileName, Integer.toString(code));
  }

  @Override
  protected CommandInfo memoryHog() {
    return WindowsCommands.hog();
  }

  @Override
  protected List<Long> processesOf(ContainerId id) {
    JobKernel32 k = JobKernel32.load();
    HANDLE job =
        k.OpenJobObjectW(JobConstants.JOB_OBJECT_QUERY, false, JobNames.forContainer(id.value()));
    if (job == null) {
      return List.of();
    }
    try {
      BasicProcessIdList list = new BasicProcessIdList(256);
      if (!k.QueryInformationJobObject(
          job, JobConstants.JOB_OBJECT_BASIC_PROCESS_ID_LIST, list, list.size(), null)) {
        throw new IllegalStateException("QueryInformationJobObject failed: " + k.lastError());
      }
      List<Long> pids = new ArrayList<>();
      for (int i = 0; i < list.NumberOfProcessIdsInList; i++) {
        pids.add(list.ProcessIdList[i].longValue());
      }
      return pids;
    } finally {
      k.CloseHandle(job);
    }
  }

  @Override
  protected String taskUser() {
    return new NativeAccounts().current().qualified();
  }
}

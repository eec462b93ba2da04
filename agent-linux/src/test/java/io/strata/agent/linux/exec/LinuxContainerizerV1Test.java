package io.strata.agent.linux.exec;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.linux.CgroupTestSupport;
import io.strata.agent.linux.LinuxTestSupport;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.agent.testing.ContainerizerContract;
import io.strata.api.CommandInfo;
import io.strata.testkit.RequiresCgroupV1;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** The contract on cgroup v1 controllers only (no unified hierarchy), with a test-only parent. */
@RequiresCgroupV1
class LinuxContainerizerV1Test extends ContainerizerContract {
  private final String parent = "strata-test-" + UUID.randomUUID().toString().substring(0, 8);

  protected CgroupLayout layout() throws Exception {
    CgroupLayout detected = CgroupLayout.detect(CgroupLayout.Preference.V1);
    return new CgroupLayout(CgroupLayout.Mode.V1, detected.v1(), null, null);
  }

  @Override
  protected Containerizer createContainerizer(Path workDir) throws Exception {
    CgroupLayout layout = layout();
    return LinuxContainerizer.start(
        workDir, new CgroupIsolator(layout, parent, 1024, true), false, Clock.systemUTC());
  }

  @Override
  protected void afterContainersAreGone() throws Exception {
    CgroupTestSupport.killAndRemove(layout(), parent);
  }

  @Override
  protected CommandInfo exitWith(int code) {
    return LinuxTestSupport.sh("exit " + code);
  }

  @Override
  protected CommandInfo echo(String text) {
    return CommandInfo.argv("echo", text);
  }

  @Override
  protected CommandInfo printEnv(String name) {
    return LinuxTestSupport.sh("echo \"$" + name + "\"");
  }

  @Override
  protected CommandInfo sleepForever() {
    return LinuxTestSupport.sh(LinuxTestSupport.SLEEP_FOREVER);
  }

  @Override
  protected CommandInfo ignorePoliteStop() {
    return LinuxTestSupport.sh(LinuxTestSupport.IGNORE_TERM);
  }

  @Override
  protected CommandInfo processTree() {
    return LinuxTestSupport.sh(LinuxTestSupport.PROCESS_TREE);
  }

  @Override
  protected CommandInfo exitWhenFileAppears(String fileName, int code) {
    return LinuxTestSupport.sh(
        "while [ ! -e " + fileName + " ]; do sleep 0.05; done; exit " + code);
  }

  @Override
  protected CommandInfo memoryHog() {
    return LinuxTestSupport.sh("tail /dev/zero");
  }

  @Override
  protected List<Long> processesOf(ContainerId id) throws Exception {
    return LinuxTestSupport.processesWithContainerId(id);
  }

  @Override
  protected String taskUser() {
    return "nobody";
  }
}

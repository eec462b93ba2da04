package io.strata.agent.linux.exec;

import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.linux.CgroupTestSupport;
import io.strata.agent.linux.LinuxContainerizerContract;
import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.testkit.RequiresCgroupV1;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

/** The contract on cgroup v1 controllers only (no unified hierarchy), with a test-only parent. */
@RequiresCgroupV1
class LinuxContainerizerV1Test extends LinuxContainerizerContract {
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
}

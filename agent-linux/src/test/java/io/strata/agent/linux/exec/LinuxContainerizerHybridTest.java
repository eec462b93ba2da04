package io.strata.agent.linux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresCgroupV2;

/**
 * The contract in the hybrid layout: limits in the v1 controllers, processes tracked and killed
 * through the real cgroup2 hierarchy (placement, cgroup.events, cgroup.kill).
 */
@RequiresCgroupV1
@RequiresCgroupV2
class LinuxContainerizerHybridTest extends LinuxContainerizerV1Test {
  @Override
  protected CgroupLayout layout() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(CgroupLayout.Preference.V1);
    assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
    return layout;
  }
}

package io.strata.agent.linux.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.Capabilities;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {
  static final String HYBRID_MOUNTS =
      """
      30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
      31 30 0:27 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
      33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
      34 30 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      35 30 0:31 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      36 30 0:32 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
      37 30 0:33 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
      40 22 0:40 / /proc rw - proc proc rw
      """;
  static final String UNIFIED_MOUNTS =
      "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

  @Test
  void autoPicksHybridWhenTheControllersAreInV1() {
    CgroupLayout layout =
        CgroupLayout.choose(
            CgroupLayout.parseMountInfo(HYBRID_MOUNTS), Set.of(), CgroupLayout.Preference.AUTO);

    assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
    assertThat(layout.v1().get("cpuacct")).isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct"));
    assertThat(layout.hierarchies())
        .containsExactly(
            Path.of("/sys/fs/cgroup/cpu,cpuacct"),
            Path.of("/sys/fs/cgroup/memory"),
            Path.of("/sys/fs/cgroup/pids"),
            Path.of("/sys/fs/cgroup/freezer"),
            Path.of("/sys/fs/cgroup/unified"));
    assertThat(layout.tracking()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
    assertThat(layout.capabilities())
        .containsExactlyInAnyOrder(Capabilities.CGROUPS_V1, Capabilities.CGROUPS_V2);
  }

  @Test
  void autoPicksV2WhenTheUnifiedHierarchyHasTheControllers() {
    CgroupLayout layout =
        CgroupLayout.choose(
            CgroupLayout.parseMountInfo(UNIFIED_MOUNTS),
            Set.of("cpuset", "cpu", "io", "memory", "pids"),
            CgroupLayout.Preference.AUTO);

    assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.V2);
    assertThat(layout.hierarchies()).containsExactly(Path.of("/sys/fs/cgroup"));
    assertThat(layout.capabilities()).containsExactly(Capabilities.CGROUPS_V2);
  }

  @Test
  void saysWhatIsMissing() {
    assertThatThrownBy(
            () ->
                CgroupLayout.choose(
                    CgroupLayout.parseMountInfo(UNIFIED_MOUNTS),
                    Set.of("cpu"),
                    CgroupLayout.Preference.AUTO))
        .hasMessageContaining("neither a cgroup2 hierarchy with the cpu, memory and pids");
    assertThatThrownBy(
            () ->
                CgroupLayout.choose(
                    CgroupLayout.parseMountInfo(UNIFIED_MOUNTS),
                    Set.of(),
                    CgroupLayout.Preference.V1))
        .hasMessageContaining("v1 was asked for");
  }
}

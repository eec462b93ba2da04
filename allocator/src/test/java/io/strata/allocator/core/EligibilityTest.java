package io.strata.allocator.core;

import static io.strata.allocator.core.OfferFilterTest.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.FrameworkId;
import io.strata.api.FrameworkInfo;
import io.strata.api.Resources;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Minimum allocatable resources and GPU agents. */
class EligibilityTest {

  @Test
  void tooLittleIsNotOffered() {
    Fixture fx = new Fixture();
    fx.framework("f", "r");
    fx.agent("crumbs", "cpus:0.009;mem:31");
    assertThat(fx.allocate()).isEmpty();
    fx.agent("cpu-only", "cpus:0.01");
    fx.agent("mem-only", "mem:32");
    assertThat(fx.allocate()).hasSize(2);
  }

  @Test
  void withNoMinimumAnythingIsOffered() {
    Fixture fx = new Fixture(AllocationSettings.DEFAULTS.withMinAllocatable(List.of()), 1);
    fx.framework("f", "r");
    fx.agent("crumbs", "cpus:0.001");
    assertThat(fx.allocate()).hasSize(1);
  }

  @Test
  void gpuAgentsGoOnlyToGpuCapableFrameworks() {
    Fixture fx = new Fixture();
    fx.framework("plain", "r");
    fx.agent("gpu", "cpus:4;mem:4096;gpus:1");
    assertThat(fx.allocate()).isEmpty();
    FrameworkId gpu = fx.framework("gpu", Set.of(FrameworkInfo.Capability.GPU_RESOURCES), "r");
    OfferGrant g = single(fx.allocate());
    assertThat(g.frameworkId()).isEqualTo(gpu);
    assertThat(g.resources().total()).isEqualTo(Resources.parse("cpus:4;mem:4096;gpus:1"));
  }

  @Test
  void gpuFilteringCanBeTurnedOff() {
    Fixture fx = new Fixture(AllocationSettings.DEFAULTS.withFilterGpuAgents(false), 1);
    fx.framework("plain", "r");
    fx.agent("gpu", "cpus:4;mem:4096;gpus:1");
    assertThat(fx.allocate()).hasSize(1);
  }
}

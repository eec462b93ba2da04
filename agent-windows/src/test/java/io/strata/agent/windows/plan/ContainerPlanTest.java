package io.strata.agent.windows.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.ContainerInfo.Isolation;
import io.strata.api.ContainerInfo.Network;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerPlanTest {
  static TaskInfo task(Isolation isolation, Network network, CommandInfo command, Long cpuLimit) {
    return new TaskInfo(
        TaskId.of("iis-1"),
        null,
        command,
        new ContainerInfo("mcr.microsoft.com/windows/servercore/iis", network, isolation),
        Resources.of(1500, 2L << 30),
        cpuLimit,
        null,
        null,
        null,
        Map.of("team", "web"),
        null,
        null);
  }

  @Test
  void defaultIsolationIsTheEnginesAndExplicitOnesWin() {
    TaskInfo byDefault = task(Isolation.DEFAULT, Network.NONE, null, null);
    assertThat(ContainerPlan.of(byDefault, "c1", Map.of(), "C:\\s", "process", true).isolation())
        .isEqualTo("process");
    assertThat(ContainerPlan.of(byDefault, "c1", Map.of(), "C:\\s", "hyperv", true).isolation())
        .isEqualTo("hyperv");
    assertThat(ContainerPlan.of(byDefault, "c1", Map.of(), "C:\\s", "", true).isolation()).isNull();
    assertThat(
            ContainerPlan.of(
                    task(Isolation.HYPERV, Network.NONE, null, null),
                    "c1",
                    Map.of(),
                    "C:\\s",
                    "process",
                    true)
                .isolation())
        .isEqualTo("hyperv");
    assertThat(
            ContainerPlan.of(
                    task(Isolation.PROCESS, Network.NONE, null, null),
                    "c1",
                    Map.of(),
                    "C:\\s",
                    "hyperv",
                    true)
                .isolation())
        .isEqualTo("process");
  }

  @Test
  void limitsLabelsCommandAndSandbox() {
    ContainerPlan.Spec spec =
        ContainerPlan.of(
            task(Isolation.PROCESS, Network.NONE, CommandInfo.shell("dir & exit 2"), 3000L),
            "c1",
            Map.of("A", "1"),
            "C:\\sandboxes\\c1",
            "process",
            true);
    assertThat(spec.nanoCpus()).isEqualTo(3_000_000_000L);
    assertThat(spec.memoryBytes()).isEqualTo(2L << 30);
    assertThat(spec.networkMode()).isEqualTo("none");
    assertThat(spec.cmd()).isEqualTo(List.of("cmd", "/S", "/C", "dir & exit 2"));
    assertThat(spec.labels())
        .containsEntry("team", "web")
        .containsEntry(ContainerPlan.LABEL_CONTAINER, "c1")
        .containsEntry(ContainerPlan.LABEL_TASK, "iis-1")
        .containsEntry(ContainerPlan.LABEL_MANAGED, ContainerPlan.MANAGED_BY);
    assertThat(spec.sandboxBind()).isEqualTo("C:\\sandboxes\\c1");
    assertThat(spec.sandboxTarget()).isEqualTo(ContainerPlan.SANDBOX_IN_CONTAINER);
    assertThat(spec.env()).containsEntry("A", "1");
    assertThat(
            ContainerPlan.of(
                    task(Isolation.PROCESS, Network.NONE, null, null),
                    "c1",
                    Map.of(),
                    "C:\\s",
                    null,
                    true)
                .cmd())
        .as("no command: the image's own")
        .isNull();
  }

  @Test
  void refusesWhatWindowsContainersCannotDo() {
    assertThatThrownBy(
            () ->
                ContainerPlan.of(
                    task(Isolation.DEFAULT, Network.HOST, null, null),
                    "c1",
                    Map.of(),
                    "C:\\s",
                    "process",
                    true))
        .hasMessageStartingWith("task.container.network:");
    assertThatThrownBy(
            () ->
                ContainerPlan.of(
                    task(Isolation.HYPERV, Network.NONE, null, null),
                    "c1",
                    Map.of(),
                    "/s",
                    null,
                    false))
        .hasMessageStartingWith("task.container.isolation:");
  }
}

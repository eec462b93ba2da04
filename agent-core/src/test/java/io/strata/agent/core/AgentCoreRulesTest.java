package io.strata.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.Termination;
import io.strata.api.PortRanges;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentCoreRulesTest {
  static final Resources MACHINE = new Resources(8000, 16L << 30, 200L << 30, 1, null);

  @Test
  void offeredIsDiscoveredWithOverridesMinusTheReservedSlice() {
    Resources offered =
        AgentResources.offered(
            MACHINE,
            Resources.parse("cpus:4;gpus:0"),
            List.of("cpus", "gpus"),
            PortRanges.range(31000, 32000),
            Resources.parse("cpus:0.5;mem:1024;ports:[31000-31099]"));

    assertThat(offered)
        .isEqualTo(new Resources(3500, 15L << 30, 200L << 30, 0, PortRanges.range(31100, 32000)));
  }

  @Test
  void portsHeldByOtherProcessesAreLeftOutOfWhatIsOffered() {
    Resources offered = new Resources(1000, 1L << 30, 0, 0, PortRanges.range(31000, 31009));
    assertThat(
            AgentResources.withoutHeld(
                offered, PortRanges.parse("[30990-31000,31004-31004,31009-31020]")))
        .isEqualTo(offered.withPorts(PortRanges.parse("[31001-31003,31005-31008]")));
    assertThat(AgentResources.withoutHeld(offered, PortRanges.EMPTY)).isEqualTo(offered);
  }

  @Test
  void aReservedSliceLargerThanTheMachineLeavesNothingRatherThanANegative() {
    Resources offered =
        AgentResources.offered(
            Resources.of(1000, 1L << 30),
            Resources.EMPTY,
            List.of(),
            PortRanges.EMPTY,
            Resources.of(2000, 2L << 30));
    assertThat(offered).isEqualTo(Resources.EMPTY);
  }

  @Test
  void admissionChecksWhatIsLeftAndWhoTheTaskRunsAs() {
    TaskInfo task = TaskInfo.command(TaskId.of("t"), "true", Resources.of(3000, 1L << 30));
    assertThat(Admission.decide(task, null, MACHINE, Resources.of(4000, 0), "nobody", List.of()))
        .isEqualTo(new Admission.Admit("nobody"));
    assertThat(Admission.decide(task, "fwuser", MACHINE, Resources.EMPTY, "nobody", List.of()))
        .isEqualTo(new Admission.Admit("fwuser"));
    assertThat(
            Admission.decide(
                task.withUser("alice"),
                "fwuser",
                MACHINE,
                Resources.EMPTY,
                "nobody",
                List.of("alice")))
        .isEqualTo(new Admission.Admit("alice"));

    Admission.Verdict full =
        Admission.decide(task, null, MACHINE, Resources.of(6000, 0), "nobody", List.of());
    assertThat(full).isInstanceOf(Admission.Refuse.class);
    assertThat(((Admission.Refuse) full).reason()).isEqualTo(Reason.INSUFFICIENT_RESOURCES);
    assertThat(((Admission.Refuse) full).message()).contains("short of cpus");

    Admission.Verdict who =
        Admission.decide(task, null, MACHINE, Resources.EMPTY, "nobody", List.of("alice"));
    assertThat(((Admission.Refuse) who).reason()).isEqualTo(Reason.UNAUTHORIZED);
  }

  @Test
  void terminationsBecomeTerminalStates() {
    assertThat(TaskOutcome.of(Termination.exited(0), null, "noise"))
        .isEqualTo(
            new TaskOutcome(TaskState.FINISHED, Reason.COMMAND_EXITED, "exited with code 0", 0));
    assertThat(TaskOutcome.of(Termination.exited(127), null, "sh: 1: nope: not found\n"))
        .isEqualTo(
            new TaskOutcome(
                TaskState.FAILED,
                Reason.COMMAND_EXITED,
                "exited with code 127: sh: 1: nope: not found",
                127));
    assertThat(
            TaskOutcome.of(
                    Termination.killed(143, "killed by SIGTERM"), Reason.KILLED_BY_OPERATOR, "")
                .state())
        .isEqualTo(TaskState.KILLED);
    TaskOutcome health =
        TaskOutcome.of(
            Termination.killed(143, "killed by SIGTERM"), Reason.HEALTH_CHECK_FAILED, "");
    assertThat(health.state()).isEqualTo(TaskState.FAILED);
    assertThat(health.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
    Termination oom =
        new Termination(Termination.Cause.MEMORY_LIMIT, 137, 9, 1L << 25, "killed by the kernel");
    assertThat(TaskOutcome.of(oom, Reason.KILLED_BY_FRAMEWORK, "").reason())
        .isEqualTo(Reason.MEMORY_LIMIT);
    assertThat(TaskOutcome.of(Termination.lost("gone"), null, "").reason())
        .isEqualTo(Reason.AGENT_RESTARTED);
  }
}

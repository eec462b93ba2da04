package io.strata.agent.linux.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.Termination;
import io.strata.agent.linux.cgroups.CgroupStats;
import io.strata.agent.linux.jna.ProcStat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TerminationRulesTest {
  static final CgroupStats.MemoryVerdict NO_OOM =
      new CgroupStats.MemoryVerdict(0, 64L << 20, 1L << 20);

  @Test
  void exitCodesSignalsKillsAndOom() {
    assertThat(TerminationRules.decide(Optional.of(0), NO_OOM, false).succeeded()).isTrue();
    assertThat(TerminationRules.decide(Optional.of(3), NO_OOM, false))
        .extracting(Termination::cause, Termination::exitCode, Termination::message)
        .containsExactly(Termination.Cause.EXITED, 3, "exited with code 3");
    assertThat(TerminationRules.decide(Optional.of(139), NO_OOM, false))
        .extracting(Termination::cause, Termination::signal, Termination::message)
        .containsExactly(Termination.Cause.SIGNALED, 11, "killed by SIGSEGV (exit status 139)");
    assertThat(TerminationRules.decide(Optional.of(143), NO_OOM, true))
        .extracting(Termination::cause, Termination::message)
        .containsExactly(Termination.Cause.KILLED, "killed by SIGTERM");
    Termination oom =
        TerminationRules.decide(
            Optional.of(137), new CgroupStats.MemoryVerdict(1, 32L << 20, 32L << 20), false);
    assertThat(oom.cause()).isEqualTo(Termination.Cause.MEMORY_LIMIT);
    assertThat(oom.message())
        .isEqualTo("killed by the kernel for exceeding its memory limit of 32 MiB (peak 32 MiB)");
    assertThat(TerminationRules.decide(Optional.empty(), NO_OOM, false).cause())
        .isEqualTo(Termination.Cause.LOST);
  }

  @Test
  void aTaskThatSucceedsDespiteAnOomKilledChildFinished() {
    assertThat(
            TerminationRules.decide(
                    Optional.of(0), new CgroupStats.MemoryVerdict(1, 32L << 20, 32L << 20), false)
                .succeeded())
        .isTrue();
  }

  @Test
  void procStatSurvivesNamesWithSpacesAndParentheses() {
    ProcStat s =
        ProcStat.parse(
            42, "42 (a b) c)) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10");
    assertThat(s.state()).isEqualTo('S');
    assertThat(s.parentPid()).isEqualTo(1);
    assertThat(s.startTime()).isEqualTo(987654);
    assertThat(s.running()).isTrue();
  }
}

package io.strata.agent.windows.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CoreValuesTest {

  @Provide
  Arbitrary<List<String>> argvs() {
    Arbitrary<String> arg =
        Arbitraries.strings()
            .withChars('a', 'Z', ' ', '\t', '"', '\\', '.', ':', '-')
            .ofMaxLength(12);
    return arg.list().ofMinSize(1).ofMaxSize(5);
  }

  @Property
  void quotingRoundTripsThroughTheWindowsSplitRules(@ForAll("argvs") List<String> argv) {
    assertThat(CommandLines.split(CommandLines.join(argv))).isEqualTo(argv);
  }

  @Test
  void quotingKnownCases() {
    assertThat(CommandLines.join(List.of("a b", "c"))).isEqualTo("\"a b\" c");
    assertThat(CommandLines.join(List.of("say \"hi\""))).isEqualTo("\"say \\\"hi\\\"\"");
    assertThat(CommandLines.join(List.of("C:\\dir with space\\")))
        .isEqualTo("\"C:\\dir with space\\\\\"");
    assertThat(CommandLines.join(List.of(""))).isEqualTo("\"\"");
    assertThat(CommandLines.join(List.of("C:\\plain\\path"))).isEqualTo("C:\\plain\\path");
  }

  @Property
  void cpuRateIsTheShareOfTheMachineClamped(
      @ForAll @LongRange(min = 1, max = 1_000_000) long millicpus,
      @ForAll @IntRange(min = 1, max = 2048) int processors) {
    int rate = CpuRate.hardCap(millicpus, processors);
    assertThat(rate).isBetween(CpuRate.MIN, CpuRate.MAX);
    if (millicpus >= processors * 1000L) {
      assertThat(rate).isEqualTo(CpuRate.MAX);
    }
  }

  @Test
  void cpuRateExamples() {
    assertThat(CpuRate.hardCap(1000, 4)).isEqualTo(2500);
    assertThat(CpuRate.hardCap(500, 2)).isEqualTo(2500);
    assertThat(CpuRate.hardCap(1, 64)).isEqualTo(1); // would be 0: Windows refuses 0
    assertThat(CpuRate.hardCap(16000, 8)).isEqualTo(10000);
    assertThatThrownBy(() -> CpuRate.hardCap(1000, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void environmentBlocksAreSortedAndDoublyTerminated() {
    char[] block = EnvironmentBlock.encode(Map.of("b", "2", "A", "1"));
    assertThat(new String(block)).isEqualTo("A=1\0b=2\0\0");
    assertThat(new String(EnvironmentBlock.encode(Map.of()))).isEqualTo("\0\0");
    assertThatThrownBy(() -> EnvironmentBlock.encode(Map.of("A=B", "x")))
        .hasMessageContaining("A=B");
  }

  @Test
  void jobNamesAreStableSafeAndDistinct() {
    assertThat(JobNames.forContainer("web-1.a_b")).isEqualTo("strata-web-1.a_b");
    String odd = JobNames.forContainer("a\\b");
    assertThat(odd).startsWith("strata-a_b-").doesNotContain("\\");
    assertThat(JobNames.forContainer("a\\b")).isEqualTo(odd);
    assertThat(JobNames.forContainer("a/b")).isNotEqualTo(odd);
    assertThat(JobNames.forContainer("x".repeat(300)).length()).isLessThan(160);
  }

  @Test
  void verdicts() {
    long limit = 32L << 20;
    assertThat(Verdict.of(new Verdict.Facts(0, false, 1, limit, Verdict.AgentAction.NONE, false)))
        .isEqualTo(new JobEnd.Exited(0));
    assertThat(Verdict.of(new Verdict.Facts(3, false, 1, limit, Verdict.AgentAction.NONE, false)))
        .isEqualTo(new JobEnd.Exited(3));
    // The notification decides, whatever the exit code.
    assertThat(
            Verdict.of(
                new Verdict.Facts(
                    137, true, limit, limit, Verdict.AgentAction.MEMORY_LIMIT, false)))
        .isInstanceOf(JobEnd.MemoryLimit.class);
    // Notification lost: a failed process whose peak reached the limit ran out of memory...
    assertThat(
            Verdict.of(
                new Verdict.Facts(1, false, limit - 4096, limit, Verdict.AgentAction.NONE, false)))
        .isInstanceOf(JobEnd.MemoryLimit.class);
    // ...but not one that succeeded, nor one far below its limit.
    assertThat(
            Verdict.of(new Verdict.Facts(0, false, limit, limit, Verdict.AgentAction.NONE, false)))
        .isEqualTo(new JobEnd.Exited(0));
    assertThat(
            Verdict.of(
                new Verdict.Facts(1, false, limit / 2, limit, Verdict.AgentAction.NONE, false)))
        .isEqualTo(new JobEnd.Exited(1));
    assertThat(Verdict.of(new Verdict.Facts(137, false, 0, 0, Verdict.AgentAction.KILL, true)))
        .isEqualTo(new JobEnd.Killed(137, true));
    JobEnd.MemoryLimit m = new JobEnd.MemoryLimit(137, limit, limit - (1 << 20));
    assertThat(m.message()).contains("32 MiB").contains("peak 31 MiB");
    assertThat(new JobEnd.Exited(0xC0000005).message()).contains("STATUS_ACCESS_VIOLATION");
  }
}

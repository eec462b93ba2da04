package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@code strata up}'s agents offer task ports below the ephemeral range. They used to get 31000 +
 * 1000 per agent: agents 2 and 3 then offered 32768-33999, where a client connection's port or a
 * test's server on port 0 (the e2e test's own allocator) could sit, and a web instance given such a
 * port could never serve.
 */
class UpTaskPortsTest {
  @Test
  void threeAgentsOnLinuxDefaultsGet500PortsEachFrom31000() {
    assertThat(UpCommand.taskPorts(3, 32_768)).containsExactly(31_000, 500);
  }

  @Property
  void everyAgentsRangeEndsBelowTheEphemeralRange(
      @ForAll @IntRange(min = 1, max = 64) int agents,
      @ForAll @IntRange(min = 15_000, max = 60_000) int ephemeralStart) {
    int[] p = UpCommand.taskPorts(agents, ephemeralStart);
    assertThat(p[1]).isBetween(1, 500);
    assertThat(p[0]).isGreaterThanOrEqualTo(10_000);
    assertThat((long) p[0] + (long) agents * p[1]).isLessThanOrEqualTo(ephemeralStart);
  }

  @Test
  void thisMachinesEphemeralRangeIsRead() {
    // Linux never starts it below 1024; a read of /proc that stops short gave 3 (of 32768).
    assertThat(UpCommand.ephemeralPortsStart()).isBetween(1024, 65_535);
  }
}

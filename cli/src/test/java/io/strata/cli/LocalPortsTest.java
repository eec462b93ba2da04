package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cli.output.CliException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalPortsTest {
  @Test
  void theSpecsPortWinsThenTheRecordedOneThenTheFirstFreeUnclaimedSlot() {
    assertThat(LocalPorts.choose(7321, 6100, Set.of(), p -> false)).isEqualTo(7321);
    assertThat(LocalPorts.choose(null, 6100, Set.of(), p -> false)).isEqualTo(6100);
    assertThat(LocalPorts.choose(null, null, Set.of(), p -> true)).isEqualTo(6000);
    // Two clusters whose names hashed alike used to share a port: now the second moves on.
    assertThat(LocalPorts.choose(null, null, Set.of(6000), p -> true)).isEqualTo(6100);
    assertThat(LocalPorts.choose(null, null, Set.of(6000), p -> p != 6100)).isEqualTo(6200);
  }

  @Test
  void everySlotTakenIsAClearErrorNamingLocalPort() {
    assertThatThrownBy(() -> LocalPorts.choose(null, null, Set.of(), p -> false))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("set local.port");
  }

  @Test
  void taskPortsAreBelowTheEphemeralRangeAndApartFromStrataUpAndEachOther() {
    for (int k = 0; k < LocalPorts.SLOTS; k++) {
      LocalPorts ports = LocalPorts.of(LocalPorts.FIRST + LocalPorts.STEP * k);
      int last = ports.taskPortBase() + 64 * LocalPorts.TASK_PORTS_PER_AGENT - 1;
      assertThat(ports.taskPortBase()).isGreaterThanOrEqualTo(10_000);
      // Below strata up's 31000 (and so below Linux's ephemeral range from 32768).
      assertThat(last).isLessThan(31_000);
      if (k + 1 < LocalPorts.SLOTS) {
        assertThat(last)
            .isLessThan(LocalPorts.of(LocalPorts.FIRST + LocalPorts.STEP * (k + 1)).taskPortBase());
      }
    }
    assertThat(LocalPorts.of(7321).taskPortBase()).isEqualTo(11_000 + 2000 * 3);
  }
}

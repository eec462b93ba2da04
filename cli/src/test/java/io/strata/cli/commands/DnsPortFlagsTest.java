package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.cli.output.CliException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code strata allocator --dns-port} and what {@code strata up} records for the context. */
class DnsPortFlagsTest {
  @Test
  void aRelativeDnsPortFollowsTheHttpPort() {
    Map<String, Object> changes = new LinkedHashMap<>();
    AllocatorCommand.dnsChanges("+53", 5350, changes);
    AllocatorConfig c = AllocatorCommand.with(AllocatorConfig.defaults(Path.of("/tmp/x")), changes);
    assertThat(c.dnsPort()).isEqualTo(5403);
    assertThat(c.dnsEnabled()).isTrue();

    changes.clear();
    AllocatorCommand.dnsChanges("off", 5350, changes);
    assertThat(
            AllocatorCommand.with(AllocatorConfig.defaults(Path.of("/tmp/x")), changes)
                .dnsEnabled())
        .isFalse();

    changes.clear();
    AllocatorCommand.dnsChanges("8653", 5350, changes);
    assertThat(
            AllocatorCommand.with(AllocatorConfig.defaults(Path.of("/tmp/x")), changes).dnsPort())
        .isEqualTo(8653);
    assertThatThrownBy(() -> AllocatorCommand.dnsChanges("eight", 5350, new LinkedHashMap<>()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("--dns-port");
  }

  @Test
  void upRecordsEveryAllocatorsDnsServer() {
    assertThat(UpCommand.dnsServers(5050, 1)).isEqualTo("127.0.0.1:5103");
    assertThat(UpCommand.dnsServers(5350, 3))
        .isEqualTo("127.0.0.1:5403,127.0.0.1:5404,127.0.0.1:5405");
    assertThat(UpCommand.allocatorTemplate().argv()).containsSubsequence("--dns-port", "+53");
  }
}

package io.strata.provisioner.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Os;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.NodeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir Path dir;

  @Test
  void savesAtomicallyReadsBackAndKeepsTheFilePrivate() throws Exception {
    StateStore store = new StateStore(dir);
    Machine m =
        new Machine(
            "c-linux-0",
            NodeRole.AGENT,
            "linux",
            0,
            Os.LINUX,
            "s",
            "i",
            30,
            Map.of("a", "b"),
            true);
    ClusterRecord r =
        ClusterRecord.empty(
                "c", "azure", new ClusterSecrets("cert", "key", "tok", "2026-01-01T00:00:00Z"))
            .withNetwork(Map.of("vnet", "id"))
            .withNode(
                new NodeRecord(m, NodeStatus.RUNNING, Map.of("vm", "x"), "10.0.0.4", null, null));
    store.save(r);
    store.save(r.withAllocatorEndpoint("https://10.0.0.4:5050"));
    assertThat(store.load("c")).contains(r.withAllocatorEndpoint("https://10.0.0.4:5050"));
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
        .containsExactly("c.state.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.fileOf("c"))))
        .isEqualTo("rw-------");
    store.delete("c");
    assertThat(store.load("c")).isEmpty();
  }
}

package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cli.client.Contexts;
import io.strata.cli.client.Target;
import io.strata.provisioner.command.ClusterContexts.NewCluster;
import io.strata.provisioner.spec.CloudKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After {@code provision apply} the CLI targets the new cluster with no flag or variable. */
class ProvisionContextsTest {
  @TempDir Path dir;

  @Test
  void aProvisionedClusterBecomesTheCurrentContextAndDestroyForgetsIt() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("STRATA_CONFIG", dir.resolve("config.yaml").toString());
    env.put("STRATA_DATA_DIR", dir.resolve("nothing-here").toString());
    ProvisionContexts contexts = new ProvisionContexts(env);

    var lines =
        contexts.added(
            new NewCluster(
                "demo",
                CloudKind.AZURE,
                "https://203.0.113.7:5050",
                "op-token-1",
                "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n"));
    assertThat(String.join("\n", lines)).contains("context: demo").doesNotContain("op-token-1");

    Target target = Target.resolve(null, null, null, null, env);
    assertThat(target.url().toString()).isEqualTo("https://203.0.113.7:5050");
    assertThat(target.token()).isEqualTo("op-token-1");
    Path token = dir.resolve("clusters").resolve("demo").resolve("operator-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
        .isEqualTo("rw-------");
    assertThat(Contexts.load(env).current()).isEqualTo("demo");

    assertThat(contexts.removed("demo")).containsExactly("context demo removed");
    assertThat(Contexts.load(env).find("demo")).isEmpty();
    assertThat(token).doesNotExist();
    assertThat(contexts.removed("demo")).isEmpty();
  }
}

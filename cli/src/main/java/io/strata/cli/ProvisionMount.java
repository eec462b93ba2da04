package io.strata.cli;

import io.strata.cli.client.Target;
import io.strata.cli.commands.UpCommand;
import io.strata.provisioner.command.ProvisionCommand;
import io.strata.provisioner.local.LocalClusterSpec;
import io.strata.provisioner.localcloud.LocalProvider;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Mounts the provisioner's {@code strata provision} command, giving its {@code local} cloud the
 * process command lines {@code strata up} uses. A local cluster named N lives in {@code
 * local.workDir} if its spec sets one, else in {@code $STRATA_DATA_DIR/clusters/N}; its allocator
 * listens on a port derived from the name (6000 + 100·k, its agents on the next ports) and its
 * agents offer 1 CPU and 1 GiB each, with task ports from 40000 (500 each), apart from {@code
 * strata up}'s 5050 and 31000.
 */
final class ProvisionMount {
  private ProvisionMount() {}

  static void mount(CommandLine root) {
    ProvisionCommand provision =
        ProvisionCommand.standard(
            (spec, gate, secrets) -> {
              Path dir =
                  spec.local().workDir() != null
                      ? Path.of(spec.local().workDir())
                      : Target.dataDir(Main.env()).resolve("clusters").resolve(spec.name());
              int port = 6000 + 100 * Math.floorMod(spec.name().hashCode(), 40);
              return new LocalProvider(
                  spec,
                  agents ->
                      new LocalClusterSpec(
                          dir,
                          agents,
                          1000,
                          1L << 30,
                          "127.0.0.1",
                          port,
                          port + 1,
                          40_000,
                          500,
                          UpCommand.allocatorTemplate(),
                          UpCommand.agentTemplate(),
                          Duration.ofSeconds(180)),
                  System.err::println);
            });
    root.addSubcommand("provision", provision);
  }
}

package io.strata.cli;

import io.strata.cli.client.Target;
import io.strata.cli.commands.Environment;
import io.strata.cli.commands.LinuxAgentCleanup;
import io.strata.cli.commands.UpCommand;
import io.strata.provisioner.command.ProvisionCommand;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.provisioner.providers.local.LocalClusterSpec;
import io.strata.provisioner.providers.local.LocalProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Mounts the provisioner's {@code strata provision} command, giving its {@code local} cloud the
 * process command lines {@code strata up} uses, and the CLI's contexts (a new cluster becomes the
 * current context). A local cluster named N lives in {@code local.workDir} if its spec sets one,
 * else in {@code $STRATA_DATA_DIR/clusters/N}; its ports are {@link LocalPorts}' ({@code
 * local.port}, else a free slot from 6000, kept once chosen); its agents offer 1 CPU and 1 GiB
 * each.
 */
final class ProvisionMount {
  private ProvisionMount() {}

  static void mount(CommandLine root) {
    ProvisionCommand provision =
        ProvisionCommand.standard(
                (spec, gate, secrets) -> {
                  Path clusters = Target.dataDir(Environment.get()).resolve("clusters");
                  Path dir =
                      (spec.local().workDir() != null
                              ? Path.of(spec.local().workDir())
                              : clusters.resolve(spec.name()))
                          .toAbsolutePath()
                          .normalize();
                  LocalPorts ports =
                      LocalPorts.of(
                          LocalPorts.choose(
                              spec.local().port(),
                              recordedPort(dir),
                              claimedPorts(clusters, dir),
                              ProvisionMount::free));
                  return new LocalProvider(
                      spec,
                      agents ->
                          new LocalClusterSpec(
                              dir,
                              agents,
                              1000,
                              1L << 30,
                              "127.0.0.1",
                              ports.allocator(),
                              ports.allocator() + 1,
                              ports.taskPortBase(),
                              LocalPorts.TASK_PORTS_PER_AGENT,
                              UpCommand.allocatorTemplate(),
                              UpCommand.agentTemplate(),
                              Duration.ofSeconds(180)),
                      System.err::println,
                      new LinuxAgentCleanup());
                })
            .withContexts(new ProvisionContexts(Environment.get()));
    root.addSubcommand("provision", provision);
  }

  /** The allocator port the cluster in {@code dir} was started with, if it was. */
  static Integer recordedPort(Path dir) {
    return LocalCluster.read(dir).map(s -> URI.create(s.url()).getPort()).orElse(null);
  }

  /** The allocator ports of the other local clusters under {@code clusters}. */
  static Set<Integer> claimedPorts(Path clusters, Path self) {
    Set<Integer> claimed = new HashSet<>();
    if (!Files.isDirectory(clusters)) {
      return claimed;
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> list = Files.list(clusters)) {
      list.filter(Files::isDirectory).forEach(dirs::add);
    } catch (IOException e) {
      return claimed;
    }
    for (Path d : dirs) {
      if (!d.toAbsolutePath().normalize().equals(self)) {
        Integer port = recordedPort(d);
        if (port != null) {
          claimed.add(port);
        }
      }
    }
    return claimed;
  }

  /** Whether the allocator's port and the next 64 (its agents') can be bound on 127.0.0.1. */
  static boolean free(int port) {
    for (int p = port; p <= port + 64; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}

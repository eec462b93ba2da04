package io.strata.cli;

import io.strata.cli.client.Target;
import io.strata.cli.commands.Environment;
import io.strata.cli.commands.LinuxAgentCleanup;
import io.strata.cli.commands.UpCommand;
import io.strata.cli.commands.UpHa;
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
 * each. With {@code allocator.count} 3 or 5 it is an HA group as {@code strata up --ha} runs one,
 * all in the slot's 100 ports: allocators on PORT..PORT+count-1, agent i on PORT+count+i, and 3
 * ZooKeeper servers (client ports PORT+71..73, peer +81..83, election +91..93).
 */
final class ProvisionMount {
  /** ZooKeeper server i's client port is {@code PORT + ZOOKEEPER_OFFSET + i}. */
  static final int ZOOKEEPER_OFFSET = 70;

  /** The highest port an HA cluster takes above PORT: ZooKeeper's last election port. */
  static final int HA_SPAN = ZOOKEEPER_OFFSET + 20 + 3;

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
                  int allocators = spec.allocator().count();
                  boolean ha = allocators > 1;
                  LocalPorts ports =
                      LocalPorts.of(
                          LocalPorts.choose(
                              spec.local().port(),
                              recordedPort(dir),
                              claimedPorts(clusters, dir),
                              p -> free(p, ha ? HA_SPAN : 64)));
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
                              ports.allocator() + allocators,
                              ports.taskPortBase(),
                              LocalPorts.TASK_PORTS_PER_AGENT,
                              ha ? UpHa.allocatorTemplate() : UpCommand.allocatorTemplate(),
                              UpCommand.agentTemplate(),
                              Duration.ofSeconds(180),
                              ha
                                  ? UpHa.provisioned(
                                      allocators, ports.allocator() + ZOOKEEPER_OFFSET)
                                  : null),
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

  /**
   * Whether the allocator's port and the next {@code span} (its agents', and with HA the other
   * allocators' and ZooKeeper's) can be bound on 127.0.0.1.
   */
  static boolean free(int port, int span) {
    for (int p = port; p <= port + span; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}

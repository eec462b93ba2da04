package io.strata.cli.commands;

import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.ClusterState.ServerRecord;
import io.strata.provisioner.providers.local.LocalCluster;
import io.strata.provisioner.providers.local.LocalClusterSpec;
import io.strata.provisioner.providers.local.ProcessTemplate;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * What {@code strata up --ha} adds: 3 allocators on ports PORT..PORT+2 and a ZooKeeper ensemble of
 * 3 servers (client ports PORT+101..103, peer ports +111..113, election ports +121..123), all on
 * 127.0.0.1; the agents listen from PORT+4 on (PORT+2 on without HA).
 */
public final class UpHa {
  static final int ALLOCATORS = 3;
  static final int ZOOKEEPERS = 3;

  /** ZooKeeper server i's client port is {@code PORT + ZOOKEEPER_OFFSET + i}. */
  static final int ZOOKEEPER_OFFSET = 100;

  /** The highest port the HA cluster takes above PORT (the last election port). */
  static final int SPAN = ZOOKEEPER_OFFSET + 20 + ZOOKEEPERS;

  /** ZooKeeper servers: a small heap; the four-letter words but srvr/ruok stay off. */
  static final String ZOOKEEPER_JVM_FLAGS =
      "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

  /**
   * The allocators' ZooKeeper session timeout: a leader killed outright holds its place in the
   * election until its session expires, so this bounds how soon another takes over (ZooKeeper's
   * servers here tick every 500 ms and allow sessions of 1 to 10 s).
   */
  static final long SESSION_TIMEOUT_MILLIS = 3000;

  private UpHa() {}

  static LocalClusterSpec.Ha spec(int port) {
    return new LocalClusterSpec.Ha(
        ALLOCATORS, ZOOKEEPERS, port + ZOOKEEPER_OFFSET, zookeeperTemplate());
  }

  /**
   * Every port of an HA cluster must be below the kernel's ephemeral range, where a client
   * connection's port could take it at any moment. (The agents' ports, PORT+4 to at most PORT+67,
   * stay below ZooKeeper's.)
   */
  static void refuseUnusable(int port, int ephemeralStart) {
    if (port + SPAN >= ephemeralStart) {
      throw new CliException(
          ExitCodes.USAGE,
          "--ha with --port "
              + port
              + ": its ports "
              + port
              + ".."
              + (port + SPAN)
              + " (allocators, agents, ZooKeeper) must stay below this machine's ephemeral port"
              + " range, which starts at "
              + ephemeralStart
              + "; choose --port below "
              + (ephemeralStart - SPAN));
    }
  }

  /**
   * The HA part of a local cluster {@code strata provision} starts ({@code allocator.count} 3 or
   * 5): that many allocators on an ensemble of {@value #ZOOKEEPERS} ZooKeeper servers whose client
   * ports are {@code zookeeperPortBase + 1..3} (peer and election ports 10 and 20 above).
   */
  public static LocalClusterSpec.Ha provisioned(int allocators, int zookeeperPortBase) {
    return new LocalClusterSpec.Ha(allocators, ZOOKEEPERS, zookeeperPortBase, zookeeperTemplate());
  }

  /** An allocator of the HA cluster: the usual one, with ZooKeeper and its advertise URL. */
  public static ProcessTemplate allocatorTemplate() {
    return UpCommand.allocatorTemplate()
        .plus(
            "--zookeeper",
            "{zookeeper}",
            "--advertise-url",
            "{advertiseUrl}",
            "--token-key-file",
            "{tokenKeyFile}",
            "--zookeeper-session-timeout",
            Long.toString(SESSION_TIMEOUT_MILLIS));
  }

  /** A ZooKeeper server from this distribution's lib/ (zookeeper-3.9.5.jar and its needs). */
  static ProcessTemplate zookeeperTemplate() {
    return UpCommand.java(System.getProperty("strata.zookeeperJvmFlags", ZOOKEEPER_JVM_FLAGS))
        .plus("org.apache.zookeeper.server.quorum.QuorumPeerMain", "{config}");
  }

  /** Where {@code strata up --example} sends the specs: the leader. */
  static String submitUrl(ClusterState state) {
    return LocalCluster.leader(state).orElse(state.url().split(",")[0]);
  }

  static void describe(ClusterState state, String took, PrintWriter out) {
    out.println(
        "Strata is up in "
            + took
            + ": "
            + state.allocators().size()
            + " allocators with "
            + state.agents().size()
            + " agent(s), on a ZooKeeper ensemble of "
            + state.zookeepers().size());
    out.println("  leader:    " + LocalCluster.leader(state).orElse("(none right now)"));
    out.println(
        "  allocators: "
            + state.allocators().stream()
                .map(ServerRecord::address)
                .collect(Collectors.joining(" ")));
    out.println("  zookeeper: " + state.zookeeper());
  }
}

package io.strata.provisioner.providers.local;

import io.strata.provisioner.providers.local.ClusterState.ServerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The ZooKeeper ensemble of a local HA cluster: {@code n} ZooKeeper servers ({@code
 * QuorumPeerMain}), each a separate process with its own {@code zoo.cfg}, data dir and {@code myid}
 * under {@code <dataDir>/zookeeper/zkN/}, every port bound to the host given (127.0.0.1). Server i
 * listens for clients on {@code clientPortBase + i}, for its peers on {@code clientPortBase + 10 +
 * i} and for leader election on {@code clientPortBase + 20 + i}.
 *
 * <p>Whether a server serves is asked with the four-letter word {@code srvr}, the only one (with
 * {@code ruok}) whitelisted in its configuration: it answers {@code Mode: leader} or {@code Mode:
 * follower} once the server is part of a quorum, and "not currently serving requests" before.
 */
final class ZooKeeperEnsemble {
  /** Server i's peer port is {@code clientPortBase + QUORUM_OFFSET + i}. */
  static final int QUORUM_OFFSET = 10;

  /** Server i's leader-election port is {@code clientPortBase + ELECTION_OFFSET + i}. */
  static final int ELECTION_OFFSET = 20;

  private final Path root;
  private final String host;
  private final int servers;
  private final int clientPortBase;

  /**
   * @param root where each server's directory {@code zkN/} (config, data, myid) lives
   * @param clientPortBase server i (1..n) takes client port {@code clientPortBase + i}
   */
  ZooKeeperEnsemble(Path root, String host, int servers, int clientPortBase) {
    this.root = root;
    this.host = host;
    this.servers = servers;
    this.clientPortBase = clientPortBase;
  }

  /** The ports server {@code index} listens on: for clients, peers and leader election. */
  List<Integer> ports(int index) {
    return List.of(
        clientPort(index),
        clientPortBase + QUORUM_OFFSET + index,
        clientPortBase + ELECTION_OFFSET + index);
  }

  int clientPort(int index) {
    return clientPortBase + index;
  }

  /** {@code host:port,host:port,...}: ZooKeeper's connect string for this ensemble. */
  String connectString() {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= servers; i++) {
      out.add(host + ":" + clientPort(i));
    }
    return String.join(",", out);
  }

  /** Server {@code index}'s configuration: short ticks (a local ensemble settles in seconds). */
  String config(int index) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by strata up --ha: ZooKeeper server ").append(index).append('\n');
    b.append("tickTime=500\ninitLimit=20\nsyncLimit=10\n");
    b.append("dataDir=").append(dataDir(index)).append('\n');
    b.append("clientPort=").append(clientPort(index)).append('\n');
    b.append("clientPortAddress=").append(host).append('\n');
    // The admin server would be Jetty on port 8080 of every interface: off.
    b.append("admin.enableServer=false\n");
    b.append("4lw.commands.whitelist=srvr,ruok\n");
    // Its snapshots and logs grow with the allocators' writes; keep three and purge hourly.
    b.append("autopurge.snapRetainCount=3\nautopurge.purgeInterval=1\n");
    for (int i = 1; i <= servers; i++) {
      b.append("server.")
          .append(i)
          .append('=')
          .append(host)
          .append(':')
          .append(clientPortBase + QUORUM_OFFSET + i)
          .append(':')
          .append(clientPortBase + ELECTION_OFFSET + i)
          .append('\n');
    }
    return b.toString();
  }

  Path serverDir(int index) {
    return root.resolve("zk" + index);
  }

  Path dataDir(int index) {
    return serverDir(index).resolve("data");
  }

  Path configFile(int index) {
    return serverDir(index).resolve("zoo.cfg");
  }

  /**
   * Starts server {@code index} from {@code template} ({@code {config}}: its zoo.cfg), after
   * writing its config and myid (the data the server holds stays from an earlier run).
   */
  ServerRecord start(int index, ProcessTemplate template, Path log) throws IOException {
    Files.createDirectories(dataDir(index));
    Files.writeString(dataDir(index).resolve("myid"), index + "\n");
    Files.writeString(configFile(index), config(index));
    Map<String, String> vars = new TreeMap<>();
    vars.put("config", configFile(index).toString());
    vars.put("index", Integer.toString(index));
    return new ServerRecord(
        index,
        host + ":" + clientPort(index),
        serverDir(index).toString(),
        Processes.start(template.render(vars), Map.of(), log));
  }

  /**
   * Waits until a majority of the servers serve (leader or follower).
   *
   * @throws LocalClusterException if a server exits or the deadline passes, with its log's tail
   */
  void awaitQuorum(List<ServerRecord> started, Instant deadline, Consumer<String> progress) {
    int majority = servers / 2 + 1;
    while (true) {
      List<String> modes = new ArrayList<>();
      int serving = 0;
      for (ServerRecord s : started) {
        Optional<String> mode = mode(s.index());
        modes.add("zk" + s.index() + " " + mode.orElse("not serving"));
        if (mode.isPresent()) {
          serving++;
        }
      }
      if (serving >= majority) {
        progress.accept("ZooKeeper quorum: " + String.join(", ", modes));
        return;
      }
      for (ServerRecord s : started) {
        if (!Processes.alive(s.process())) {
          throw new LocalClusterException(
              "ZooKeeper server zk"
                  + s.index()
                  + " exited during start-up; its log says:\n"
                  + LocalCluster.tail(Path.of(s.process().log())));
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new LocalClusterException(
            "the ZooKeeper ensemble "
                + connectString()
                + " formed no quorum in time ("
                + String.join(", ", modes)
                + "); zk1's log says:\n"
                + LocalCluster.tail(Path.of(started.get(0).process().log())));
      }
      LocalCluster.pause();
    }
  }

  /** Server {@code index}'s mode ({@code leader}, {@code follower}), if it serves. */
  Optional<String> mode(int index) {
    return srvr(host, clientPort(index)).flatMap(ZooKeeperEnsemble::parseMode);
  }

  /** The {@code Mode:} line of a {@code srvr} answer; empty if the server does not serve. */
  static Optional<String> parseMode(String answer) {
    for (String line : answer.split("\n")) {
      if (line.startsWith("Mode:")) {
        String mode = line.substring(5).strip();
        return mode.equals("leader") || mode.equals("follower") || mode.equals("standalone")
            ? Optional.of(mode)
            : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The answer to {@code srvr}, empty if nothing listens or it does not answer within 1 s. */
  static Optional<String> srvr(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}

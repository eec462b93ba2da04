package io.strata.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.allocator.server.AllocatorMain;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.api.json.Codec;
import io.strata.cli.inprocess.InProcess;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "allocator",
    description = {
      "Run the allocator and, in the same process, the built-in services and jobs frameworks"
          + " (they subscribe to it over loopback like any framework; their API is served on the"
          + " allocator's port). Runs until SIGTERM or Ctrl-C.",
      "Tokens not given are generated once and kept in DATA_DIR/tokens.json."
    },
    footer = {
      "%nExamples:",
      "  strata allocator --data-dir /var/lib/strata",
      "  strata allocator --config /etc/strata/allocator.yaml --port 5050",
      "  strata allocator --data-dir d --no-frameworks      # frameworks run elsewhere (strata frameworks)"
    })
public final class AllocatorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Journal, snapshots and tokens.")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Allocator config (YAML); flags override it.")
  Path config;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Address to bind (default 127.0.0.1).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "HTTP port (default 5050; 0 picks one).")
  Integer port;

  @Option(
      names = "--dns-port",
      paramLabel = "PORT|+N|off",
      description =
          "The strata. DNS zone's port, UDP and TCP (default 8600; 0 picks one); +N: the HTTP"
              + " port plus N (what strata up and local clusters use: +53); off: no DNS server.")
  String dnsPort;

  @Option(
      names = "--zookeeper",
      paramLabel = "URL",
      description =
          "zk://HOST:PORT[,HOST:PORT...]/ROOT: one of an HA group, state in ZooKeeper (a standby"
              + " until elected).")
  String zookeeper;

  @Option(
      names = "--advertise-url",
      paramLabel = "URL",
      description =
          "How clients and the other allocators reach this one (default scheme://host:port).")
  String advertiseUrl;

  @Option(
      names = "--join-token-file",
      paramLabel = "FILE",
      description = "The token agents join with.")
  Path joinTokenFile;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description = "The token of the admin principal (operator, every role).")
  Path adminTokenFile;

  @Option(
      names = "--token-key-file",
      paramLabel = "FILE",
      description =
          "The cluster's token key, the same file on every allocator of an HA cluster (config:"
              + " tokenKeyFile).")
  Path tokenKeyFile;

  @Option(
      names = "--zookeeper-session-timeout",
      paramLabel = "MILLIS",
      description =
          "The ZooKeeper session timeout (config: zookeeperSessionTimeoutMillis; default 10000):"
              + " how soon a dead leader's place is taken.")
  Long zookeeperSessionTimeout;

  @Option(
      names = "--no-frameworks",
      description = "Do not run the built-in frameworks in this process.")
  boolean noFrameworks;

  @Override
  public Integer call() throws IOException {
    AllocatorConfig c = configure();
    InProcess running = InProcess.start(c, !noFrameworks);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "strata-shutdown"));
    AllocatorMain.describe(running.server(), c, System.out);
    if (!noFrameworks) {
      System.out.println(
          "  built-in frameworks: strata-services (role services), strata-jobs (role jobs)");
      System.out.println("  state of the frameworks' ids: " + InProcess.frameworkStateDir(c));
    }
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private AllocatorConfig configure() throws IOException {
    AllocatorConfig base;
    if (config != null) {
      base = AllocatorConfig.load(config);
    } else if (dataDir != null) {
      base = AllocatorConfig.defaults(dataDir);
    } else {
      throw new CliException(ExitCodes.USAGE, "pass --data-dir DIR or --config FILE");
    }
    // Every flag at once, validated together: e.g. a wildcard --host is valid with zookeeper only
    // given --advertise-url, and zookeeper only with the secrets the allocators share.
    Map<String, Object> changes = new LinkedHashMap<>();
    if (dataDir != null) {
      changes.put("dataDir", dataDir.toString());
    }
    if (host != null) {
      changes.put("host", host);
    }
    if (port != null) {
      changes.put("port", port);
    }
    if (dnsPort != null) {
      dnsChanges(dnsPort, port != null ? port : base.port(), changes);
    }
    if (zookeeper != null) {
      changes.put("zookeeper", zookeeper);
    }
    if (advertiseUrl != null) {
      changes.put("advertiseUrl", advertiseUrl);
    }
    if (zookeeperSessionTimeout != null) {
      changes.put("zookeeperSessionTimeoutMillis", zookeeperSessionTimeout);
    }
    if (tokenKeyFile != null) {
      changes.put("tokenKeyFile", tokenKeyFile.toAbsolutePath().toString());
    }
    if (joinTokenFile != null) {
      changes.put("joinToken", read(joinTokenFile));
      changes.put("joinTokenFile", null);
    }
    if (adminTokenFile != null) {
      // Every other setting (TLS, bootstrap files, retention) stays as configured.
      List<Principal> principals = new ArrayList<>(base.principals());
      principals.removeIf(p -> p.name().equals("admin"));
      principals.add(new Principal("admin", read(adminTokenFile), Set.of("*"), true));
      changes.put("principals", principals);
    }
    return changes.isEmpty() ? base : with(base, changes);
  }

  /** {@code --dns-port}: a port, {@code +N} relative to the HTTP port, or {@code off}. */
  static void dnsChanges(String value, int httpPort, Map<String, Object> changes) {
    if (value.equals("off")) {
      changes.put("dnsEnabled", false);
      return;
    }
    try {
      int n = Integer.parseInt(value.startsWith("+") ? value.substring(1) : value);
      changes.put("dnsPort", value.startsWith("+") ? httpPort + n : n);
      changes.put("dnsEnabled", true);
    } catch (NumberFormatException e) {
      throw new CliException(
          ExitCodes.USAGE, "--dns-port: a port, +N or off (was '" + value + "')");
    }
  }

  /** {@code config} with settings replaced, validated with the rest (as if loaded). */
  static AllocatorConfig with(AllocatorConfig config, Map<String, ?> changes) {
    ObjectNode tree = Codec.JSON.mapper().valueToTree(config);
    changes.forEach((field, value) -> tree.set(field, Codec.JSON.mapper().valueToTree(value)));
    return Codec.JSON.decode(Codec.JSON.encodeBytes(tree), AllocatorConfig.class);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }
}

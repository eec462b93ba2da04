package io.strata.provisioner.providers.local;

import io.strata.api.client.ApiException;
import io.strata.api.client.OperatorClient;
import io.strata.api.json.Codec;
import io.strata.api.operator.LeaderView;
import io.strata.provisioner.providers.local.ClusterState.ProcessRecord;
import io.strata.provisioner.providers.local.ClusterState.ServerRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The HA part of a local cluster: first the ZooKeeper ensemble (its servers started, a quorum
 * awaited), then the allocators, each with its own data dir, the ensemble's {@code zk://} URL and
 * its advertise URL; it waits until every allocator answers and one of them leads. Whatever of it
 * already runs is kept, as {@link LocalCluster#up} keeps what runs.
 */
final class LocalHa {
  /** The znode under which the allocators keep their state. */
  static final String ZK_ROOT = "/strata";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final LocalClusterSpec spec;
  private final Path dataDir;
  private final LocalClusterSpec.Ha ha;
  private final ZooKeeperEnsemble ensemble;

  LocalHa(LocalClusterSpec spec, Path dataDir) {
    this.spec = spec;
    this.dataDir = dataDir;
    this.ha = spec.ha();
    this.ensemble =
        new ZooKeeperEnsemble(
            dataDir.resolve("zookeeper"), spec.host(), ha.zookeepers(), ha.zookeeperPortBase());
  }

  /** The allocators' {@code zk://} URL. */
  String zookeeperUrl() {
    return "zk://" + ensemble.connectString() + ZK_ROOT;
  }

  /** The ports the allocators and ZooKeeper servers not running yet will listen on. */
  List<Integer> portsToStart(ClusterState state) {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= ha.allocators(); i++) {
      if (running(state.allocators(), i).isEmpty()) {
        out.add(spec.port() + i - 1);
      }
    }
    for (int i = 1; i <= ha.zookeepers(); i++) {
      if (running(state.zookeepers(), i).isEmpty()) {
        out.addAll(ensemble.ports(i));
      }
    }
    return out;
  }

  /**
   * Brings the ensemble and the allocators up (those not running) and waits for a leader.
   *
   * @param allocatorVars the placeholders every allocator shares (tokens, log dir, host)
   * @param save records the state after each process started, so that a failed start can be stopped
   *     by {@code strata down}
   * @return the state with the ensemble and the allocators
   */
  ClusterState up(
      ClusterState state,
      Map<String, String> allocatorVars,
      String adminToken,
      Instant deadline,
      Consumer<String> progress,
      IoConsumer<ClusterState> save)
      throws IOException {
    Path logs = dataDir.resolve("logs");
    // What an earlier up started and still runs is kept; each record is replaced as its process
    // starts again, so that the state saved always names every process that may run.
    List<ServerRecord> zookeepers = new ArrayList<>(state.zookeepers());
    for (int i = 1; i <= ha.zookeepers(); i++) {
      Optional<ServerRecord> running = running(zookeepers, i);
      if (running.isPresent()) {
        progress.accept("ZooKeeper zk" + i + " already running (pid " + pid(running.get()) + ")");
        continue;
      }
      ServerRecord s = ensemble.start(i, ha.zookeeper(), logs.resolve("zookeeper-" + i + ".log"));
      put(zookeepers, s);
      state = state.withHa(state.allocators(), zookeepers, zookeeperUrl());
      save.accept(state);
      progress.accept(
          "ZooKeeper zk"
              + i
              + " started on "
              + s.address()
              + " (pid "
              + pid(s)
              + "), log "
              + log(s));
    }
    state = state.withHa(state.allocators(), zookeepers, zookeeperUrl());
    save.accept(state);
    ensemble.awaitQuorum(zookeepers, deadline, progress);

    List<ServerRecord> allocators = new ArrayList<>(state.allocators());
    for (int i = 1; i <= ha.allocators(); i++) {
      Optional<ServerRecord> running = running(allocators, i);
      if (running.isPresent()) {
        progress.accept("allocator " + i + " already running (pid " + pid(running.get()) + ")");
        continue;
      }
      Path allocatorDir = dataDir.resolve("allocator-" + i);
      Map<String, String> vars = new TreeMap<>(allocatorVars);
      vars.put("dataDir", allocatorDir.toString());
      vars.put("port", Integer.toString(spec.port() + i - 1));
      vars.put("zookeeper", zookeeperUrl());
      vars.put("advertiseUrl", spec.allocatorUrl(i));
      vars.put("index", Integer.toString(i));
      vars.put("tokenKeyFile", tokenKey().toString());
      ProcessRecord p =
          Processes.start(
              spec.allocator().render(vars), Map.of(), logs.resolve("allocator-" + i + ".log"));
      put(allocators, new ServerRecord(i, spec.allocatorUrl(i), allocatorDir.toString(), p));
      state = state.withHa(allocators, zookeepers, zookeeperUrl());
      save.accept(state);
      progress.accept(
          "allocator "
              + i
              + " started on "
              + spec.allocatorUrl(i)
              + " (pid "
              + p.pid()
              + "), log "
              + p.log());
    }
    for (ServerRecord a : allocators) {
      awaitHealth(a, adminToken, deadline);
    }
    String leader = awaitLeader(allocators, deadline);
    progress.accept(allocators.size() + " allocators answer; the leader is " + leader);
    return state;
  }

  /**
   * {@code secrets/token.key}: base64 of 32 random bytes, created once (mode 0600); every allocator
   * signs agents' access tokens and derives the generated principals' tokens from it, so a new
   * leader accepts what the old one issued.
   */
  private Path tokenKey() throws IOException {
    Path file = dataDir.resolve("secrets").resolve("token.key");
    if (!Files.exists(file)) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Path tmp = file.resolveSibling("token.key.tmp");
      Files.writeString(tmp, Base64.getEncoder().encodeToString(bytes) + "\n");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return file;
  }

  /** Puts {@code r} in {@code list} in place of the record of the same index, in index order. */
  static void put(List<ServerRecord> list, ServerRecord r) {
    list.removeIf(old -> old.index() == r.index());
    list.add(r);
    list.sort(java.util.Comparator.comparingInt(ServerRecord::index));
  }

  private static Optional<ServerRecord> running(List<ServerRecord> recorded, int index) {
    return recorded.stream()
        .filter(r -> r.index() == index && Processes.alive(r.process()))
        .findFirst();
  }

  private void awaitHealth(ServerRecord a, String adminToken, Instant deadline) {
    OperatorClient client = new OperatorClient(URI.create(a.address()), adminToken);
    while (true) {
      try {
        client.health();
        return;
      } catch (ApiException e) {
        if (!Processes.alive(a.process())) {
          throw new LocalClusterException(
              "allocator "
                  + a.index()
                  + " exited during start-up; its log says:\n"
                  + LocalCluster.tail(Path.of(a.process().log())));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new LocalClusterException(
              "allocator "
                  + a.index()
                  + " did not answer on "
                  + a.address()
                  + " within "
                  + spec.startTimeout()
                  + " ("
                  + e.getMessage()
                  + "); its log says:\n"
                  + LocalCluster.tail(Path.of(a.process().log())));
        }
        LocalCluster.pause();
      }
    }
  }

  private String awaitLeader(List<ServerRecord> allocators, Instant deadline) {
    while (true) {
      Optional<String> leader = leader(allocators.stream().map(ServerRecord::address).toList());
      if (leader.isPresent()) {
        return leader.get();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new LocalClusterException(
            "no allocator became the leader within "
                + spec.startTimeout()
                + "; allocator 1's log says:\n"
                + LocalCluster.tail(Path.of(allocators.get(0).process().log())));
      }
      LocalCluster.pause();
    }
  }

  /**
   * The URL of the allocator that leads: one of {@code urls} that says it leads ({@code GET
   * /v1/leader}); empty if none does.
   */
  static Optional<String> leader(List<String> urls) {
    for (String url : urls) {
      Optional<LeaderView> view = leaderView(url);
      if (view.isPresent() && view.get().isLeader()) {
        return Optional.of(url);
      }
    }
    return Optional.empty();
  }

  static Optional<LeaderView> leaderView(String url) {
    try {
      HttpResponse<byte[]> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/v1/leader"))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200
          ? Optional.of(Codec.JSON.decode(r.body(), LeaderView.class))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Stops the allocators, then the ZooKeeper servers (last: the allocators write to them until they
   * stop). Returns how many were running.
   */
  static int down(ClusterState state, Duration grace) {
    int stopped = 0;
    for (ServerRecord a : state.allocators()) {
      if (Processes.alive(a.process())) {
        Processes.stop(a.process(), grace);
        stopped++;
      }
    }
    for (ServerRecord z : state.zookeepers()) {
      if (Processes.alive(z.process())) {
        Processes.stop(z.process(), grace);
        stopped++;
      }
    }
    return stopped;
  }

  private static long pid(ServerRecord s) {
    return s.process().pid();
  }

  private static String log(ServerRecord s) {
    return s.process().log();
  }

  /** A consumer that may fail with an {@link IOException}. */
  @FunctionalInterface
  interface IoConsumer<T> {
    void accept(T value) throws IOException;
  }
}

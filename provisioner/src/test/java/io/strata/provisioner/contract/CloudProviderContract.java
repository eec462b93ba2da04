package io.strata.provisioner.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.Backoff;
import io.strata.api.client.OperatorClient;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.Applier;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.apply.ApplyResult;
import io.strata.provisioner.apply.NodeResult;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.cloud.NodeOperation;
import io.strata.provisioner.cloud.NodeRequest;
import io.strata.provisioner.core.NodeStatus;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.state.StateStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link CloudProvider} must do, checked through the real {@link Applier}: create,
 * re-apply without changes, scale up and down, destroy everything tagged, report a machine that
 * fails to boot while keeping the rest, ride out 429s and 5xx bursts, resume after a crash, and
 * refuse in preflight what cannot be created.
 */
public abstract class CloudProviderContract {
  @TempDir protected Path stateDir;
  protected CloudFixture cloud;
  private FakeAllocator allocator;
  protected final List<String> events = new CopyOnWriteArrayList<>();

  /** A fresh cloud for each test. */
  protected abstract CloudFixture newFixture();

  @BeforeEach
  void startCloud() {
    cloud = newFixture();
    allocator = new FakeAllocator(() -> cloud.booted());
  }

  @AfterEach
  void stopCloud() {
    allocator.close();
    cloud.close();
  }

  protected CloudGate gate() {
    return new CloudGate(
        10,
        CloudGate.RateLimit.UNLIMITED,
        new Backoff(Duration.ofMillis(5), Duration.ofMillis(200), 12),
        CloudGate.Ticker.SYSTEM,
        RandomGeneratorFactory.of("L64X128MixRandom").create(42));
  }

  protected ApplyOptions options() {
    return ApplyOptions.defaults()
        .withPollInterval(Duration.ofMillis(20))
        .withReady(Duration.ofSeconds(30), Duration.ofMillis(50));
  }

  /** The operator token and CA each roster was opened with. */
  protected final List<String[]> rosterOpenedWith =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  protected Applier applier(CloudProvider provider) {
    OperatorClient operator = new OperatorClient(URI.create(allocator.url()), null);
    return new Applier(
        provider,
        new StateStore(stateDir),
        new BootstrapScripts(),
        (AgentRoster.Source)
            (url, token, caPem) -> {
              rosterOpenedWith.add(new String[] {token, caPem});
              return AgentRoster.of(operator);
            },
        e -> events.add(e.type() + " " + e.resource()),
        Clock.systemUTC(),
        options());
  }

  protected ApplyResult apply(ClusterSpec spec) {
    try (CloudProvider provider = cloud.provider(spec, gate())) {
      return applier(provider).apply(spec);
    }
  }

  @Test
  void createsAClusterAndReapplyingChangesNothing() {
    int windows = cloud.runsWindows() ? 1 : 0;
    ClusterSpec spec = cloud.spec("demo", 2, windows);
    ApplyResult first = apply(spec);
    assertThat(first.failures()).isEmpty();
    List<String> expected =
        new java.util.ArrayList<>(List.of("demo-alloc-0", "demo-linux-0", "demo-linux-1"));
    if (windows > 0) {
      expected.add("demo-win-0");
    }
    assertThat(first.nodes())
        .extracting(NodeResult::node)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(first.nodes()).allMatch(n -> n.outcome() == NodeResult.Outcome.READY);
    assertThat(cloud.machines("demo")).hasSize(3 + windows);
    assertThat(new StateStore(stateDir).load("demo").orElseThrow().nodes().values())
        .allMatch(n -> n.status() == NodeStatus.READY);
    assertThat(events).contains("apply_complete node.demo-linux-1");

    long writes = cloud.writes();
    ApplyResult again = apply(spec);
    assertThat(again.plan().isEmpty()).isTrue();
    assertThat(again.failures()).isEmpty();
    assertThat(cloud.writes()).as("an unchanged spec writes nothing").isEqualTo(writes);
  }

  @Test
  void scalesUpAndDown() {
    ClusterSpec spec = cloud.spec("scale", 1, 0);
    assertThat(apply(spec).failures()).isEmpty();
    ApplyResult up = apply(spec.withPoolCount("linux", 3));
    assertThat(up.failures()).isEmpty();
    assertThat(up.plan().creates()).isEqualTo(2);
    assertThat(cloud.machines("scale"))
        .containsExactlyInAnyOrder(
            "scale-alloc-0", "scale-linux-0", "scale-linux-1", "scale-linux-2");
    ApplyResult down = apply(spec.withPoolCount("linux", 1));
    assertThat(down.failures()).isEmpty();
    assertThat(down.plan().deletes()).isEqualTo(2);
    assertThat(cloud.machines("scale")).containsExactlyInAnyOrder("scale-alloc-0", "scale-linux-0");
    assertThat(new StateStore(stateDir).load("scale").orElseThrow().nodes())
        .containsOnlyKeys("scale-alloc-0", "scale-linux-0");
  }

  @Test
  void destroyRemovesEverythingTagged() {
    ClusterSpec spec = cloud.spec("gone", 2, 0);
    assertThat(apply(spec).failures()).isEmpty();
    assertThat(cloud.tagged("gone")).isNotEmpty();
    ApplyResult destroyed;
    try (CloudProvider provider = cloud.provider(spec, gate())) {
      destroyed = applier(provider).destroy("gone");
    }
    assertThat(destroyed.failures()).isEmpty();
    assertThat(cloud.tagged("gone")).isEmpty();
    assertThat(cloud.machines("gone")).isEmpty();
    assertThat(new StateStore(stateDir).load("gone")).isEmpty();
  }

  @Test
  void aMachineThatFailsToBootIsReportedAndTheRestIsUsable() {
    ClusterSpec spec = cloud.spec("partial", 3, 0);
    cloud.failBoot("partial-linux-1");
    ApplyResult result = apply(spec);
    assertThat(result.failures()).extracting(NodeResult::node).containsExactly("partial-linux-1");
    assertThat(result.failures().get(0).reason()).isNotBlank();
    assertThat(result.nodes())
        .filteredOn(n -> !n.node().equals("partial-linux-1"))
        .allMatch(n -> n.outcome() == NodeResult.Outcome.READY);
    var state = new StateStore(stateDir).load("partial").orElseThrow();
    assertThat(state.nodes().get("partial-linux-1").status()).isEqualTo(NodeStatus.FAILED);
    assertThat(state.nodes().get("partial-linux-1").error()).isNotBlank();
  }

  @Test
  void throttlingIsRiddenOutHonouringRetryAfter() {
    org.junit.jupiter.api.Assumptions.assumeTrue(cloud.injectsFaults(), "no throttling to inject");
    // A bucket smaller than the machines written at once, refilled slower than they write even on
    // a loaded machine: some writes are answered 429 whatever the timing, and few enough rounds
    // of Retry-After (1 s) pass that no request runs out of retries.
    cloud.throttleWrites(3, 3);
    CloudGate gate = gate();
    ClusterSpec spec = cloud.spec("throttle", 4, 0);
    ApplyResult result;
    try (CloudProvider provider = cloud.provider(spec, gate)) {
      result = applier(provider).apply(spec);
    }
    assertThat(result.failures()).isEmpty();
    assertThat(gate.throttled()).as("the cloud did answer 429").isPositive();
    assertThat(cloud.machines("throttle")).hasSize(5);
  }

  @Test
  void aBurstOfServerErrorsIsRetried() {
    org.junit.jupiter.api.Assumptions.assumeTrue(cloud.injectsFaults(), "no server to fail");
    ClusterSpec spec = cloud.spec("burst", 2, 0);
    cloud.failNext(5, 503);
    CloudGate gate = gate();
    ApplyResult result;
    try (CloudProvider provider = cloud.provider(spec, gate)) {
      result = applier(provider).apply(spec);
    }
    assertThat(result.failures()).isEmpty();
    assertThat(gate.retries()).isGreaterThanOrEqualTo(5);
  }

  /** The process dies right after the cloud accepted a create it never recorded. */
  @Test
  void aCrashMidApplyResumesWithoutDuplicates() {
    ClusterSpec spec = cloud.spec("crash", 4, 0);
    AtomicInteger starts = new AtomicInteger();
    try (CloudProvider real = cloud.provider(spec, gate())) {
      CloudProvider crashing = new Crashing(real, () -> starts.incrementAndGet() == 3);
      assertThatThrownBy(() -> applier(crashing).apply(spec))
          .hasRootCauseInstanceOf(SimulatedCrash.class);
    }
    var half = new StateStore(stateDir).load("crash").orElseThrow();
    assertThat(half.hasNetwork()).isTrue();
    ApplyResult resumed = apply(spec);
    assertThat(resumed.failures()).isEmpty();
    assertThat(cloud.machines("crash")).hasSize(5).doesNotHaveDuplicates();
    assertThat(apply(spec).plan().isEmpty()).isTrue();
  }

  @Test
  void preflightRefusesWhatCannotBeCreatedAndCreatesNothing() {
    org.junit.jupiter.api.Assumptions.assumeTrue(cloud.injectsFaults(), "no sizes or images");
    ClusterSpec bad = unknownSizeAndImage(cloud.spec("nope", 1, 0));
    assertThatThrownBy(() -> apply(bad))
        .isInstanceOf(io.strata.provisioner.apply.PreflightException.class)
        .hasMessageContaining("no-such-size")
        .hasMessageContaining("no-such-image");
    assertThat(cloud.tagged("nope")).isEmpty();
  }

  @Test
  void machinesBootFromTheRenderedTemplates() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(cloud.bootsFromTemplates(), "no templates");
    ClusterSpec spec = cloud.spec("boot", 1, 1);
    assertThat(apply(spec).failures()).isEmpty();
    var state = new StateStore(stateDir).load("boot").orElseThrow();
    String allocatorIp = state.nodes().get("boot-alloc-0").privateIp();
    String linux = cloud.userData("boot-linux-0");
    assertThat(linux).startsWith("#cloud-config");
    var doc =
        new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
            .readTree(linux);
    assertThat(doc.path("write_files").toString())
        .contains(allocatorIp)
        .contains(state.secrets().joinToken());
    assertThat(doc.path("runcmd").toString()).contains("strata-agent.service");
    String alloc = cloud.userData("boot-alloc-0");
    assertThat(alloc).contains("PRIVATE KEY").contains(state.secrets().joinTokenExpiresAt());
    // The operator token minted for the cluster reaches the allocator as a file, and readiness is
    // polled with it, trusting the cluster CA.
    assertThat(state.secrets().operatorToken()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(alloc)
        .contains(state.secrets().operatorToken())
        .contains("\"operatorTokenFile\": \"/etc/strata/operator-token\"");
    assertThat(rosterOpenedWith)
        .isNotEmpty()
        .allSatisfy(
            seen -> {
              assertThat(seen[0]).isEqualTo(state.secrets().operatorToken());
              assertThat(seen[1]).isEqualTo(state.secrets().caCertPem());
            });
    assertThat(state.toString()).doesNotContain(state.secrets().operatorToken());
    String windows = cloud.userData("boot-win-0");
    assertThat(windows)
        .contains("StrataAgent")
        .contains(allocatorIp)
        .contains(state.secrets().joinToken())
        .contains("BEGIN CERTIFICATE");
  }

  protected ClusterSpec unknownSizeAndImage(ClusterSpec spec) {
    return ClusterSpec.parse(
        io.strata.api.json.Codec.YAML
            .encode(spec)
            .replace(spec.pools().get(0).size(), "no-such-size")
            .replace(spec.pools().get(0).image(), "no-such-image:x:y:1"));
  }

  /** Thrown to simulate the process dying. */
  static final class SimulatedCrash extends Error {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Passes calls on, and dies right after the cloud accepted the create for which crash says so.
   */
  private record Crashing(CloudProvider real, java.util.function.BooleanSupplier crash)
      implements CloudProvider {
    @Override
    public NodeOperation startNode(NodeRequest request) {
      NodeOperation op = real.startNode(request);
      if (crash.getAsBoolean()) {
        throw new SimulatedCrash();
      }
      return op;
    }

    @Override
    public List<String> preflight(List<io.strata.provisioner.core.Machine> creating) {
      return real.preflight(creating);
    }

    @Override
    public java.util.Map<String, String> ensureNetwork() {
      return real.ensureNetwork();
    }

    @Override
    public io.strata.provisioner.cloud.NodeProgress poll(NodeOperation operation) {
      return real.poll(operation);
    }

    @Override
    public void deleteNode(io.strata.provisioner.core.NodeRecord node) {
      real.deleteNode(node);
    }

    @Override
    public void deleteNetwork(java.util.Map<String, String> network) {
      real.deleteNetwork(network);
    }

    @Override
    public List<io.strata.provisioner.cloud.TaggedResource> tagged() {
      return real.tagged();
    }

    @Override
    public String allocatorEndpoint(io.strata.provisioner.core.NodeRecord a, int port) {
      return real.allocatorEndpoint(a, port);
    }

    @Override
    public String operatorEndpoint(io.strata.provisioner.core.NodeRecord a, int port) {
      return real.operatorEndpoint(a, port);
    }

    @Override
    public void close() {}
  }
}

package io.strata.benchmarks.provisioner;

import com.azure.core.management.AzureEnvironment;
import io.strata.benchmarks.Harness;
import io.strata.fakes.azure.FakeArm;
import io.strata.provisioner.apply.Applier;
import io.strata.provisioner.apply.ApplyEvent;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.apply.ApplyResult;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.providers.azure.AzureProvider;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import io.strata.provisioner.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

/**
 * Provisions a cluster of N VMs (1 allocator + N-1 agents) on the fake ARM with the real Azure SDK,
 * every create taking {@code latency} and writes limited like ARM (bucket 200, 10/s), twice: with
 * the provisioner's scheduling (10 requests in flight, no slot held while a VM boots) and with a
 * fixed parallelism of 10 operations, each holding its slot until its VM runs (Terraform's {@code
 * -parallelism=10}). Prints wall times and their ratio to the lower bound that the dependency
 * chain, the latency and the rate limit set.
 *
 * <p>Usage: {@code ProvisionerBenchmark [vms=100] [latencyMillis=2000] [pollMillis=latency/20]}
 */
public final class ProvisionerBenchmark {
  private static final Secrets SECRETS =
      new Secrets(Map.of("S", "unused", "KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench"));
  private static final int BURST = 200;
  private static final double REFILL = 10;

  public static void main(String[] args) {
    Harness.run("provisioner", () -> runWith(args));
  }

  private static void runWith(String[] args) throws Exception {
    int vms = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Duration latency = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 2000);
    Duration poll =
        Duration.ofMillis(
            args.length > 2 ? Long.parseLong(args[2]) : Math.max(20, latency.toMillis() / 20));
    // Writes: group, NSG, VNet, the allocator's public IP, and a NIC and a VM per machine.
    int writes = 4 + 2 * vms;
    // The longest chain of creates that depend on each other: NSG -> VNet -> the allocator's
    // public IP -> its NIC -> its VM (agents, NIC -> VM after the VNet, run alongside: the
    // allocator's private address is fixed up front, so they need not wait for it).
    double chain = 5 * seconds(latency);
    // The rate limit: the last write cannot go before (writes - burst) / rate, then it takes one
    // create's latency.
    double rate = writes > BURST ? (writes - BURST) / REFILL + seconds(latency) : 0;
    double bound = Math.max(chain, rate);
    System.out.printf(
        "provisioner benchmark: %d VMs, %d ms per create, writes %d (bucket %d, %.0f/s), poll %d ms%n",
        vms, latency.toMillis(), writes, BURST, REFILL, poll.toMillis());
    System.out.printf("lower bound %.2f s (chain %.2f s, rate %.2f s)%n", bound, chain, rate);
    run("warm-up (10 VMs)", 10, latency, poll, 0, bound);
    run("strata (10 requests in flight)", vms, latency, poll, 0, bound);
    run("fixed parallelism 10 (terraform)", vms, latency, poll, 10, bound);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static void run(
      String label, int vms, Duration latency, Duration poll, int slots, double bound)
      throws Exception {
    try (FakeArm arm =
        FakeArm.start()
            .vmSize("Standard_D2s_v5", 2)
            .image("canonical:ubuntu-24_04-lts:server:1.0.0")
            .vmLatency(latency)
            .latency(latency)
            .writeLimit(BURST, REFILL)) {
      ClusterSpec spec = ClusterSpec.parse(yaml(vms - 1));
      Map<String, String> endpoints = new HashMap<>();
      AzureEnvironment.AZURE.getEndpoints().keySet().forEach(k -> endpoints.put(k, arm.endpoint()));
      CloudGate gate = CloudGate.standard(10, CloudGate.RateLimit.ARM, 1);
      var azure =
          AzureProvider.connect(
              spec,
              SECRETS,
              new AzureEnvironment(endpoints),
              FakeArm.credential(),
              gate,
              FakeArm.loopbackPolicy());
      Path state = Files.createTempDirectory("strata-bench");
      Map<String, java.util.List<Long>> stages = new java.util.concurrent.ConcurrentHashMap<>();
      ApplyOptions options =
          ApplyOptions.defaults()
              .withPollInterval(poll)
              .withReady(Duration.ofMinutes(5), poll)
              .withOperationSlots(slots);
      // The fake cloud "boots" a VM when its create succeeds; booted agents count as joined.
      Applier applier =
          new Applier(
              new AzureProvider(spec, azure, gate, SECRETS, poll),
              new StateStore(state),
              new BootstrapScripts(),
              (url, token) -> () -> new HashSet<>(arm.runningVms()),
              e -> {
                if (e.type().equals(ApplyEvent.COMPLETE)) {
                  stages
                      .computeIfAbsent(
                          kind(e.resource()),
                          k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                      .add(e.elapsed().toMillis());
                }
              },
              Clock.systemUTC(),
              options);
      long start = System.nanoTime();
      ApplyResult result = applier.apply(spec);
      double wall = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%-34s %7.2f s  %5.2f x lower bound  failures %d  requests %d  retries %d  429s %d%n",
          label,
          wall,
          wall / bound,
          result.failures().size(),
          gate.requests(),
          gate.retries(),
          gate.throttled());
      stages.forEach(
          (k, v) ->
              System.out.printf(
                  "    %-10s n=%3d  min %5d ms  mean %5.0f ms  max %5d ms%n",
                  k,
                  v.size(),
                  v.stream().mapToLong(x -> x).min().orElse(0),
                  v.stream().mapToLong(x -> x).average().orElse(0),
                  v.stream().mapToLong(x -> x).max().orElse(0)));
    }
  }

  private static String kind(String resource) {
    return resource.startsWith("network")
        ? "network"
        : resource.contains("-alloc-") ? "allocator" : "agent";
  }

  private static String yaml(int agents) {
    return """
        name: bench
        cloud: azure
        location: westeurope
        artifactUrl: https://downloads.example.invalid/strata.tar.gz
        azure:
          subscriptionId: 00000000-0000-0000-0000-000000000001
          tenantId: t
          clientId: c
          clientSecret: {env: S}
        allocator: {count: 1, size: Standard_D2s_v5, image: "canonical:ubuntu-24_04-lts:server:1.0.0"}
        pools:
          - {name: linux, os: linux, count: %d, size: Standard_D2s_v5, image: "canonical:ubuntu-24_04-lts:server:1.0.0"}
        access: {sshPublicKey: {env: KEY}}
        """
        .formatted(agents);
  }
}

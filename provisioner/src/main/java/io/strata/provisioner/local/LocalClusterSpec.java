package io.strata.provisioner.local;

import io.strata.api.json.Checks;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A cluster on this machine: one allocator and {@code agents} Linux agents, each a separate process
 * with its own work dir, resource slice, task port range and cgroup parent.
 *
 * <p>Placeholders the templates may use. Allocator: {@code {dataDir}} (its data dir), {@code
 * {host}}, {@code {port}}, {@code {joinTokenFile}}, {@code {adminTokenFile}}, {@code {logDir}}.
 * Agent: {@code {url}} (the allocator), {@code {index}} (1..n), {@code {name}} ({@code a1}), {@code
 * {hostname}} (unique per agent: {@code <machine>-a1}), {@code {workDir}}, {@code {port}} (the
 * agent's HTTP port), {@code {cpus}}, {@code {mem}}, {@code {ports}} (its task port range, e.g.
 * {@code 31000-31999}), {@code {cgroupParent}}, {@code {joinTokenFile}}.
 *
 * @param dataDir everything lives under it: state, tokens, logs, work dirs
 * @param agentMillicpus CPU each agent offers
 * @param agentMemoryBytes memory each agent offers
 * @param port the allocator's port on 127.0.0.1
 * @param agentPortBase agent i listens on {@code agentPortBase + i}
 * @param taskPortBase agent i offers task ports {@code taskPortBase + (i-1)·taskPortsPerAgent}...
 * @param startTimeout how long to wait for the allocator and the agents' registration
 */
public record LocalClusterSpec(
    Path dataDir,
    int agents,
    long agentMillicpus,
    long agentMemoryBytes,
    String host,
    int port,
    int agentPortBase,
    int taskPortBase,
    int taskPortsPerAgent,
    ProcessTemplate allocator,
    ProcessTemplate agent,
    Duration startTimeout) {

  public LocalClusterSpec {
    Checks c =
        new Checks()
            .notNull("dataDir", dataDir)
            .range("agents", agents, 0, 64)
            .range("agentMillicpus", agentMillicpus, 1, 1_000_000)
            .range("agentMemoryBytes", agentMemoryBytes, 16L << 20, 1L << 50)
            .range("port", port, 1, 65535)
            .range("agentPortBase", agentPortBase, 1, 65535 - 64)
            .range("taskPortsPerAgent", taskPortsPerAgent, 1, 10_000)
            .notNull("allocator", allocator)
            .notNull("agent", agent);
    c.require(
        taskPortBase >= 1 && (long) taskPortBase + (long) agents * taskPortsPerAgent <= 65536,
        "taskPortBase",
        "the agents' task port ranges must fit below 65536");
    c.done();
    host = host == null ? "127.0.0.1" : host;
    startTimeout = startTimeout == null ? Duration.ofSeconds(120) : startTimeout;
  }

  public String url() {
    return "http://" + host + ":" + port;
  }
}

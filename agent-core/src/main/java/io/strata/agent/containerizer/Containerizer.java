package io.strata.agent.containerizer;

import io.strata.api.CommandInfo;
import io.strata.api.TaskInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs tasks isolated on one machine: Linux cgroups, Docker containers, Windows Job Objects. The
 * one SPI between agent-core (what every agent does) and a platform; every implementation passes
 * the same contract-test kit ({@code ContainerizerContract} in the module agent-testing).
 *
 * <p>Threading: every method may be called from any thread, concurrently for different containers.
 * Calls for one container are made by agent-core in a sensible order (launch, then wait/usage/kill)
 * but {@code kill} may race with the container ending by itself; both must be safe.
 *
 * <p>Durability: the containerizer keeps no state of its own on disk that agent-core does not hold
 * through {@link ContainerCheckpoint}s, except what its tasks' host resources carry (a cgroup, an
 * exit-status file in the sandbox, container labels). Tasks must survive the agent process: a
 * {@code kill -9} of the agent never kills a task.
 */
public interface Containerizer extends AutoCloseable {

  /** A stable name recorded in checkpoints, e.g. {@code linux}, {@code docker}, {@code windows}. */
  String name();

  /**
   * What this containerizer contributes to {@code AgentInfo.capabilities} (see {@code
   * io.strata.api.Capabilities}). Fixed once constructed.
   */
  Set<String> capabilities();

  /**
   * Whether this containerizer is the one to run {@code task} (for example: Docker iff the task has
   * a container image; the native one iff it has none). Pure: no I/O.
   */
  boolean handles(TaskInfo task);

  /**
   * Launches a task. Blocks until the task's first process runs <em>inside</em> its isolation (in
   * its cgroup, its Job Object, its container) — it never runs user code outside it — or until the
   * launch failed. Limits from {@code spec.task()} (memory, CPU share and hard cap, pids) are in
   * force before user code runs.
   *
   * @return {@link LaunchResult.Launched} with the checkpoint agent-core must persist, or {@link
   *     LaunchResult.Failed} for an expected failure (unknown user, missing image, command not
   *     found, a limit the host cannot enforce) after which nothing is left on the host
   * @throws IllegalStateException if {@code spec.containerId()} was already used on this instance
   * @throws ContainerizerException for a fault of the host or runtime; the implementation cleans up
   *     what it created before throwing
   */
  LaunchResult launch(LaunchSpec spec);

  /**
   * How the container ends. Returns the same future on every call; it completes exactly once, never
   * exceptionally except with {@link ContainerizerException}, and only after the container's host
   * resources (cgroup, Job Object, container) are released — after it reads what it needs to report
   * (exit code, OOM counters, peak memory). Does not block. Terminated containers stay known to
   * this instance, so late calls to wait/kill/usage remain valid.
   *
   * @throws UnknownContainerException if this instance neither launched nor recovered {@code id}
   */
  CompletableFuture<Termination> wait(ContainerId id);

  /**
   * Stops a container: a polite stop to every process of the container (SIGTERM; CTRL_BREAK or
   * WM_CLOSE on Windows; the image's stop signal for Docker), then, if any process is left after
   * {@code gracePeriod}, a hard kill of the whole process tree, including processes that left the
   * root's process group or session. Blocks until no process of the container is left (roughly
   * {@code gracePeriod} at most, plus the time the OS takes to reap). Idempotent; a no-op on a
   * container that already ended. Unless the container ended by itself first, its {@link
   * Termination} has cause {@link Termination.Cause#KILLED}.
   *
   * @throws UnknownContainerException if this instance neither launched nor recovered {@code id}
   * @throws ContainerizerException if the OS refused to kill (processes may be left)
   */
  void kill(ContainerId id, Duration gracePeriod);

  /**
   * The container's current resource use, or empty once it has ended. Cheap enough to call every
   * few seconds for every container. Does not block on the container.
   *
   * @throws UnknownContainerException if this instance neither launched nor recovered {@code id}
   */
  Optional<ResourceUsage> usage(ContainerId id);

  /**
   * Runs {@code command} in the container's context — as the task's user, inside its isolation (its
   * cgroup / Job Object / container namespaces), in its sandbox — and waits for it, at most {@code
   * timeout} (then kills it and reports {@code timedOut}). Used by command health checks.
   *
   * @throws UnknownContainerException if this instance neither launched nor recovered {@code id}
   * @throws IllegalStateException if the container has ended
   * @throws ContainerizerException if the command could not be started at all
   */
  ExecResult exec(ContainerId id, CommandInfo command, Duration timeout);

  /**
   * Re-attaches after an agent restart. Called once, before any {@link #launch}, with the
   * checkpoints of every container of this containerizer that agent-core still holds as active.
   * Returns one {@link Recovered} per checkpoint: {@link Recovered.Running} if it still runs (now
   * watched by this instance), {@link Recovered.Ended} with the real termination if it ended while
   * the agent was down (its host resources are then released). A reused pid is never mistaken for
   * the task ({@link ContainerCheckpoint#processStartTime()}).
   *
   * <p>Containers of this containerizer on the host that no checkpoint names (orphans: launched by
   * an agent that died before checkpointing) are killed and cleaned up.
   *
   * @throws ContainerizerException if the host cannot be inspected at all
   */
  List<Recovered> recover(List<ContainerCheckpoint> checkpoints);

  /**
   * Releases the agent-side resources (threads, watchers, connections). Containers keep running,
   * exactly as if the agent process had died; a new instance can {@link #recover} them.
   */
  @Override
  void close();
}

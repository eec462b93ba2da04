package io.strata.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.agent.containerizer.ContainerCheckpoint;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.containerizer.LaunchResult;
import io.strata.agent.containerizer.LaunchSpec;
import io.strata.agent.containerizer.Recovered;
import io.strata.agent.containerizer.ResourceUsage;
import io.strata.agent.containerizer.Termination;
import io.strata.agent.containerizer.UnknownContainerException;
import io.strata.api.CommandInfo;
import io.strata.api.ContainerInfo;
import io.strata.api.FrameworkId;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import io.strata.testkit.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Containerizer} passes. A platform test extends it, supplies the
 * containerizer and the platform's commands (a shell on Linux, cmd.exe on Windows), and adds the
 * environment annotations it needs ({@code @RequiresCgroupV1}, {@code @RequiresDocker},
 * {@code @RequiresWindows}...).
 *
 * <p>What it checks: exit codes, output in the sandbox, environment, kill (polite, then hard, then
 * the whole tree), usage, exec, recovery after a restart (running tasks re-attached, tasks that
 * ended meanwhile reported with their real exit code, orphans killed), and clear launch failures.
 */
public abstract class ContainerizerContract {
  protected static final Duration PATIENCE = Duration.ofSeconds(60);
  protected static final FrameworkId FRAMEWORK = FrameworkId.of("contract-framework");

  @TempDir protected Path work;

  private final List<Containerizer> opened = new ArrayList<>();
  private final List<ContainerId> launched = new ArrayList<>();
  protected Containerizer containerizer;

  // ---- what a platform supplies -------------------------------------------------------------

  /**
   * A new instance working in {@code workDir}; called again with the same directory to simulate an
   * agent restart. Each test gets a fresh {@code workDir}.
   */
  protected abstract Containerizer createContainerizer(Path workDir) throws Exception;

  /** Exits with {@code code} at once. */
  protected abstract CommandInfo exitWith(int code);

  /** Prints {@code text} and a newline to standard output, then exits 0. */
  protected abstract CommandInfo echo(String text);

  /** Prints the value of environment variable {@code name} to standard output, then exits 0. */
  protected abstract CommandInfo printEnv(String name);

  /** Runs until stopped; ends on the polite stop signal. */
  protected abstract CommandInfo sleepForever();

  /** Runs until stopped and ignores the polite stop signal: only a hard kill ends it. */
  protected abstract CommandInfo ignorePoliteStop();

  /**
   * Starts at least two more processes (a child and a grandchild, one of them escaping the root's
   * process group or session where the platform allows it) that all run until killed, and ignore
   * the polite stop.
   */
  protected abstract CommandInfo processTree();

  /** Waits until a file named {@code fileName} exists in its working directory, then exits. */
  protected abstract CommandInfo exitWhenFileAppears(String fileName, int code);

  /** Allocates memory without bound (to be stopped by the memory limit). */
  protected abstract CommandInfo memoryHog();

  /** The live host processes that belong to container {@code id}, found independently of it. */
  protected abstract List<Long> processesOf(ContainerId id) throws Exception;

  /** The user tasks run as in these tests. */
  protected abstract String taskUser();

  /** A container image the tasks run in, or null for native tasks. */
  protected ContainerInfo container() {
    return null;
  }

  /** A user that does not exist here. */
  protected String unknownUser() {
    return "strata-no-such-user";
  }

  /** An executable that does not exist here, run directly (argv). */
  protected CommandInfo missingExecutable() {
    return CommandInfo.argv("/nonexistent/strata-missing-command");
  }

  // ---- fixtures -----------------------------------------------------------------------------

  @BeforeEach
  void openContainerizer() throws Exception {
    openTraversable(work);
    containerizer = open();
  }

  /**
   * Runs after every test, once its containers are killed and its containerizers closed: remove
   * what the platform set up for the test (a parent cgroup, an image...).
   */
  protected void afterContainersAreGone() throws Exception {}

  @AfterEach
  void cleanUp() throws Exception {
    for (Containerizer c : opened) {
      for (ContainerId id : launched) {
        try {
          c.kill(id, Duration.ZERO);
        } catch (UnknownContainerException e) {
          // Not this instance's container (launched before a simulated restart, or failed).
        }
      }
    }
    opened.forEach(Containerizer::close);
    afterContainersAreGone();
  }

  /** Closes an instance the way a dying agent leaves it: its containers keep running. */
  protected void closeAsIfTheAgentDied(Containerizer c) {
    opened.remove(c);
    c.close();
  }

  /** A containerizer on this test's work directory, closed after the test. */
  protected Containerizer open() throws Exception {
    Containerizer c = createContainerizer(work.resolve("agent"));
    opened.add(c);
    return c;
  }

  protected TaskInfo task(CommandInfo command, Resources resources) {
    return new TaskInfo(
        TaskId.of("contract-" + UUID.randomUUID().toString().substring(0, 8)),
        null,
        command,
        container(),
        resources,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  protected TaskInfo task(CommandInfo command) {
    return task(command, Resources.of(100, 64L << 20));
  }

  /** A launch spec with a fresh sandbox, as agent-core would build it. */
  protected LaunchSpec spec(TaskInfo task, String user, Map<String, String> extraEnv)
      throws IOException {
    ContainerId id = ContainerId.forTask(task.taskId(), UUID.randomUUID());
    Path sandbox = work.resolve("sandboxes").resolve(id.value());
    Files.createDirectories(sandbox);
    openTraversable(sandbox.getParent());
    Map<String, String> env = new HashMap<>(task.env());
    env.put("STRATA_CONTAINER_ID", id.value());
    env.put("STRATA_TASK_ID", task.taskId().value());
    env.putAll(extraEnv);
    return new LaunchSpec(
        id,
        FRAMEWORK,
        task,
        user,
        sandbox,
        sandbox.resolve("stdout"),
        sandbox.resolve("stderr"),
        env);
  }

  protected LaunchSpec spec(TaskInfo task) throws IOException {
    return spec(task, taskUser(), Map.of());
  }

  /** Launches and expects it to run; remembers it for clean-up. */
  protected ContainerCheckpoint launch(Containerizer c, LaunchSpec spec) {
    launched.add(spec.containerId());
    LaunchResult result = c.launch(spec);
    assertThat(result)
        .as("launch of %s", spec.task().command())
        .isInstanceOf(LaunchResult.Launched.class);
    ContainerCheckpoint checkpoint = ((LaunchResult.Launched) result).checkpoint();
    assertThat(checkpoint.containerId()).isEqualTo(spec.containerId());
    assertThat(checkpoint.containerizer()).isEqualTo(c.name());
    // Checkpoints are persisted as JSON by agent-core: they must survive the round trip.
    assertThat(Codec.JSON.decode(Codec.JSON.encode(checkpoint), ContainerCheckpoint.class))
        .isEqualTo(checkpoint);
    return checkpoint;
  }

  protected Termination termination(Containerizer c, ContainerId id) {
    try {
      return c.wait(id).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("container " + id + " did not end properly", e);
    }
  }

  protected static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<Long> processes(ContainerId id) {
    try {
      return processesOf(id);
    } catch (Exception e) {
      throw new AssertionError("cannot list the processes of " + id, e);
    }
  }

  private static void openTraversable(Path dir) throws IOException {
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  // ---- the contract -------------------------------------------------------------------------

  @Test
  void reportsTheExitCode() throws Exception {
    LaunchSpec ok = spec(task(exitWith(0)));
    LaunchSpec three = spec(task(exitWith(3)));
    launch(containerizer, ok);
    launch(containerizer, three);

    Termination zero = termination(containerizer, ok.containerId());
    Termination failed = termination(containerizer, three.containerId());

    assertThat(zero.cause()).isEqualTo(Termination.Cause.EXITED);
    assertThat(zero.exitCode()).isZero();
    assertThat(zero.succeeded()).isTrue();
    assertThat(failed.cause()).isEqualTo(Termination.Cause.EXITED);
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.succeeded()).isFalse();
    assertThat(failed.message()).contains("3");
  }

  @Test
  void writesStandardOutputToTheSandbox() throws Exception {
    LaunchSpec spec = spec(task(echo("hello from the contract")));
    launch(containerizer, spec);
    assertThat(termination(containerizer, spec.containerId()).succeeded()).isTrue();
    Eventually.await("output in " + spec.stdout(), () -> read(spec.stdout()).contains("hello"));
    assertThat(read(spec.stdout())).contains("hello from the contract");
  }

  @Test
  void passesTheEnvironment() throws Exception {
    LaunchSpec spec =
        spec(
            task(printEnv("STRATA_CONTRACT_VALUE")),
            taskUser(),
            Map.of("STRATA_CONTRACT_VALUE", "x-42-y"));
    launch(containerizer, spec);
    assertThat(termination(containerizer, spec.containerId()).succeeded()).isTrue();
    Eventually.await("env value in stdout", () -> read(spec.stdout()).contains("x-42-y"));
  }

  @Test
  void waitReturnsTheSameFutureAndRefusesUnknownContainers() throws Exception {
    LaunchSpec spec = spec(task(exitWith(0)));
    launch(containerizer, spec);
    assertThat(containerizer.wait(spec.containerId()))
        .isSameAs(containerizer.wait(spec.containerId()));
    termination(containerizer, spec.containerId());

    ContainerId unknown = ContainerId.of("never-launched-0");
    assertThatThrownBy(() -> containerizer.wait(unknown))
        .isInstanceOf(UnknownContainerException.class);
    assertThatThrownBy(() -> containerizer.kill(unknown, Duration.ZERO))
        .isInstanceOf(UnknownContainerException.class);
    assertThatThrownBy(() -> containerizer.usage(unknown))
        .isInstanceOf(UnknownContainerException.class);
  }

  @Test
  void refusesToLaunchTheSameContainerIdTwice() throws Exception {
    LaunchSpec spec = spec(task(sleepForever()));
    launch(containerizer, spec);
    assertThatThrownBy(() -> containerizer.launch(spec)).isInstanceOf(IllegalStateException.class);
    assertThat(containerizer.wait(spec.containerId())).isNotDone();
  }

  @Test
  void killStopsATaskPolitely() throws Exception {
    LaunchSpec spec = spec(task(sleepForever()));
    launch(containerizer, spec);
    Eventually.await("a process", () -> !processes(spec.containerId()).isEmpty());

    containerizer.kill(spec.containerId(), PATIENCE);

    assertThat(termination(containerizer, spec.containerId()).cause())
        .isEqualTo(Termination.Cause.KILLED);
    assertThat(processes(spec.containerId())).isEmpty();
  }

  @Test
  void killHardKillsATaskThatIgnoresThePoliteStop() throws Exception {
    LaunchSpec spec = spec(task(ignorePoliteStop()));
    launch(containerizer, spec);
    Eventually.await("a process", () -> !processes(spec.containerId()).isEmpty());

    containerizer.kill(spec.containerId(), Duration.ofMillis(300));

    assertThat(processes(spec.containerId())).isEmpty();
    assertThat(termination(containerizer, spec.containerId()).cause())
        .isEqualTo(Termination.Cause.KILLED);
  }

  @Test
  void killLeavesNoProcessOfTheTreeBehind() throws Exception {
    LaunchSpec spec = spec(task(processTree()));
    launch(containerizer, spec);
    Eventually.await("three processes", () -> processes(spec.containerId()).size() >= 3);

    containerizer.kill(spec.containerId(), Duration.ofMillis(300));

    assertThat(processes(spec.containerId())).isEmpty();
    assertThat(termination(containerizer, spec.containerId()).cause())
        .isEqualTo(Termination.Cause.KILLED);
  }

  @Test
  void killAfterTheEndIsHarmless() throws Exception {
    LaunchSpec spec = spec(task(exitWith(5)));
    launch(containerizer, spec);
    termination(containerizer, spec.containerId());

    assertThatCode(() -> containerizer.kill(spec.containerId(), Duration.ZERO))
        .doesNotThrowAnyException();
    assertThat(termination(containerizer, spec.containerId()).exitCode()).isEqualTo(5);
    assertThat(containerizer.usage(spec.containerId())).isEmpty();
  }

  @Test
  void reportsTheUsageOfARunningContainer() throws Exception {
    LaunchSpec spec = spec(task(sleepForever()));
    launch(containerizer, spec);
    Eventually.await("a process", () -> !processes(spec.containerId()).isEmpty());

    ResourceUsage usage = containerizer.usage(spec.containerId()).orElseThrow();

    assertThat(usage.memoryBytes()).isPositive();
    assertThat(usage.cpuTimeNanos()).isNotNegative();
    assertThat(usage.memoryLimitBytes()).isEqualTo(64L << 20);
  }

  @Test
  void execRunsACommandInTheContainer() throws Exception {
    LaunchSpec spec = spec(task(sleepForever()));
    launch(containerizer, spec);

    ExecResult hello = containerizer.exec(spec.containerId(), echo("exec says hi"), PATIENCE);
    ExecResult four = containerizer.exec(spec.containerId(), exitWith(4), PATIENCE);
    ExecResult slow =
        containerizer.exec(spec.containerId(), sleepForever(), Duration.ofMillis(300));

    assertThat(hello.succeeded()).isTrue();
    assertThat(hello.output()).contains("exec says hi");
    assertThat(four.exitCode()).isEqualTo(4);
    assertThat(slow.timedOut()).isTrue();
    assertThat(containerizer.wait(spec.containerId())).isNotDone();
  }

  @Test
  void recoversARunningContainerAfterARestart() throws Exception {
    LaunchSpec spec = spec(task(processTree()));
    ContainerCheckpoint checkpoint = launch(containerizer, spec);
    Eventually.await("three processes", () -> processes(spec.containerId()).size() >= 3);
    closeAsIfTheAgentDied(containerizer);
    assertThat(processes(spec.containerId()))
        .as("tasks survive their agent")
        .hasSizeGreaterThanOrEqualTo(3);

    Containerizer restarted = open();
    List<Recovered> recovered = restarted.recover(List.of(checkpoint));

    assertThat(recovered).containsExactly(new Recovered.Running(spec.containerId()));
    assertThat(restarted.usage(spec.containerId())).isPresent();
    restarted.kill(spec.containerId(), Duration.ofMillis(300));
    assertThat(termination(restarted, spec.containerId()).cause())
        .isEqualTo(Termination.Cause.KILLED);
    assertThat(processes(spec.containerId())).isEmpty();
  }

  @Test
  void reportsTheRealExitCodeOfAContainerThatEndedWhileTheAgentWasDown() throws Exception {
    LaunchSpec spec = spec(task(exitWhenFileAppears("go", 7)));
    ContainerCheckpoint checkpoint = launch(containerizer, spec);
    Eventually.await("a process", () -> !processes(spec.containerId()).isEmpty());
    closeAsIfTheAgentDied(containerizer);

    Files.writeString(spec.sandbox().resolve("go"), "now");
    Eventually.await("the task to end", () -> processes(spec.containerId()).isEmpty());

    Containerizer restarted = open();
    List<Recovered> recovered = restarted.recover(List.of(checkpoint));

    assertThat(recovered).hasSize(1);
    assertThat(recovered.get(0)).isInstanceOf(Recovered.Ended.class);
    Termination t = ((Recovered.Ended) recovered.get(0)).termination();
    assertThat(t.cause()).isEqualTo(Termination.Cause.EXITED);
    assertThat(t.exitCode()).isEqualTo(7);
  }

  @Test
  void killsOrphansNoCheckpointNames() throws Exception {
    LaunchSpec spec = spec(task(sleepForever()));
    launch(containerizer, spec);
    Eventually.await("a process", () -> !processes(spec.containerId()).isEmpty());
    closeAsIfTheAgentDied(containerizer);

    Containerizer restarted = open();
    assertThat(restarted.recover(List.of())).isEmpty();

    Eventually.await("the orphan to be killed", () -> processes(spec.containerId()).isEmpty());
  }

  @Test
  void anUnknownUserFailsTheLaunchClearly() throws Exception {
    LaunchSpec spec = spec(task(exitWith(0)), unknownUser(), Map.of());
    launched.add(spec.containerId());

    LaunchResult result = containerizer.launch(spec);

    assertThat(result).isInstanceOf(LaunchResult.Failed.class);
    LaunchResult.Failed failed = (LaunchResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(Reason.LAUNCH_FAILED);
    assertThat(failed.message()).contains(unknownUser());
  }

  @Test
  void aMissingExecutableFailsTheLaunchClearly() throws Exception {
    CommandInfo missing = missingExecutable();
    LaunchSpec spec = spec(task(missing));
    launched.add(spec.containerId());

    LaunchResult result = containerizer.launch(spec);

    assertThat(result).isInstanceOf(LaunchResult.Failed.class);
    LaunchResult.Failed failed = (LaunchResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(Reason.LAUNCH_FAILED);
    assertThat(failed.message()).contains(missing.argv().get(0));
  }

  @Test
  void aTaskPastItsMemoryLimitIsReportedAsSuch() throws Exception {
    LaunchSpec spec = spec(task(memoryHog(), Resources.of(100, 32L << 20)));
    launch(containerizer, spec);

    Termination t = termination(containerizer, spec.containerId());

    assertThat(t.cause()).isEqualTo(Termination.Cause.MEMORY_LIMIT);
    assertThat(t.message()).contains("32 MiB");
    assertThat(processes(spec.containerId())).isEmpty();
  }
}

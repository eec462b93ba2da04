package io.strata.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Isolation;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.api.model.WaitResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.strata.agent.containerizer.ContainerizerException;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The Docker engine as both platforms' containerizers use it: one docker-java client and the
 * operations they share (create from a {@link ContainerRequest}, follow the output into the sandbox
 * with a {@link LogPump}, wait for the end, sample statistics, run a command inside, remove). What
 * differs between the platforms — what container a task becomes, how it is stopped, how its end
 * reads — stays in their containerizers.
 */
public final class DockerEngine implements Closeable {
  /** What an exec'd command's output is cut to. */
  public static final int EXEC_OUTPUT_LIMIT = 4_096;

  private final DockerClient docker;

  public DockerEngine(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * A docker-java client for the engine at {@code host} ({@code unix:///…}, {@code npipe:////…},
   * {@code tcp://…}), connecting within 10 s.
   *
   * @param maxConnections the connection pool's size; 0 for docker-java's
   * @param responseTimeout how long a response may take; null for no limit
   */
  public static DockerClient client(String host, int maxConnections, Duration responseTimeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient.Builder http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .connectionTimeout(Duration.ofSeconds(10));
    if (maxConnections > 0) {
      http.maxConnections(maxConnections);
    }
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(config, http.build());
  }

  /** The client, for what only one platform does (pull, inspect, list, stop). */
  public DockerClient client() {
    return docker;
  }

  /** Creates the container {@code r} describes (not started); returns its engine id. */
  public String create(ContainerRequest r) {
    ContainerRequest.Limits l = r.limits();
    HostConfig host = HostConfig.newHostConfig().withNetworkMode(l.networkMode());
    if (l.init()) {
      host.withInit(true);
    }
    if (l.securityOpts() != null) {
      host.withSecurityOpts(l.securityOpts());
    }
    if (l.cpuShares() != null) {
      host.withCpuShares(l.cpuShares());
    }
    host.withBinds(new Bind(l.bindSource(), new Volume(l.bindTarget())));
    if (l.memoryBytes() > 0) {
      host.withMemory(l.memoryBytes());
      if (l.memorySwapBytes() != null) {
        host.withMemorySwap(l.memorySwapBytes());
      }
    }
    if (l.nanoCpus() != null && l.nanoCpus() > 0) {
      host.withNanoCPUs(l.nanoCpus());
    }
    if (l.pidsLimit() != null) {
      host.withPidsLimit(l.pidsLimit());
    }
    if (l.isolation() != null) {
      host.withIsolation(Isolation.fromValue(l.isolation()));
    }
    CreateContainerCmd cmd =
        docker
            .createContainerCmd(r.image())
            .withName(r.name())
            .withEnv(r.env())
            .withLabels(r.labels())
            .withWorkingDir(r.workingDir())
            .withHostConfig(host);
    if (r.user() != null) {
      cmd.withUser(r.user());
    }
    if (r.entrypoint() != null) {
      cmd.withEntrypoint(r.entrypoint());
    }
    if (r.cmd() != null) {
      cmd.withCmd(r.cmd());
    }
    return cmd.exec().getId();
  }

  /**
   * Copies the container's output into {@code stdout} and {@code stderr} as it comes: all of it
   * (the engine keeps what was written before), or from {@code sinceEpochSecond} after a restart.
   */
  public LogPump follow(String dockerId, Path stdout, Path stderr, Integer sinceEpochSecond)
      throws IOException {
    return LogPump.follow(docker, dockerId, stdout, stderr, sinceEpochSecond);
  }

  /**
   * Calls {@code ended} once when the container stops or the wait breaks (its argument is then the
   * failure, else null): the caller inspects the container to learn which. Runs on docker-java's
   * thread; the returned handle stops waiting.
   */
  public Closeable onExit(String dockerId, Consumer<Throwable> ended) {
    AtomicBoolean called = new AtomicBoolean();
    return docker
        .waitContainerCmd(dockerId)
        .exec(
            new ResultCallback.Adapter<WaitResponse>() {
              @Override
              public void onNext(WaitResponse response) {
                if (called.compareAndSet(false, true)) {
                  ended.accept(null);
                }
              }

              @Override
              public void onComplete() {
                if (called.compareAndSet(false, true)) {
                  ended.accept(null);
                }
              }

              @Override
              public void onError(Throwable t) {
                if (called.compareAndSet(false, true)) {
                  ended.accept(t);
                }
              }
            });
  }

  /** Removes the container and what it holds, running or not; one already gone is no error. */
  public void remove(String dockerId) {
    try {
      docker.removeContainerCmd(dockerId).withForce(true).exec();
    } catch (NotFoundException e) {
      // Already gone.
    } catch (ConflictException e) {
      // Removal already in progress.
    }
  }

  /** One sample of the container's statistics (the stats API streams; the first is taken). */
  public Statistics statsOnce(String dockerId) {
    AtomicReference<Statistics> first = new AtomicReference<>();
    try (var callback =
        docker
            .statsCmd(dockerId)
            .withNoStream(true)
            .exec(
                new ResultCallback.Adapter<Statistics>() {
                  @Override
                  public void onNext(Statistics s) {
                    first.compareAndSet(null, s);
                  }
                })) {
      callback.awaitCompletion(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new ContainerizerException(
          "cannot read the statistics of " + dockerId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted reading the statistics of " + dockerId, e);
    }
    return first.get();
  }

  /**
   * How a command run in a container went.
   *
   * @param exitCode -1 when it timed out or the engine did not say
   * @param output its stdout and stderr, at most {@link #EXEC_OUTPUT_LIMIT} bytes
   * @param pid its host pid, when it timed out and still runs (0 otherwise)
   */
  public record Exec(int exitCode, boolean timedOut, String output, long pid) {}

  /**
   * Runs {@code argv} in the container (as {@code user}, or the container's when null), waiting up
   * to {@code timeout}. A command that outlives it is reported timed out and left running: the
   * caller may kill its {@code pid}.
   */
  public Exec exec(String dockerId, List<String> argv, String user, Duration timeout) {
    String execId;
    try {
      var create =
          docker
              .execCreateCmd(dockerId)
              .withCmd(argv.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true);
      if (user != null) {
        create.withUser(user);
      }
      execId = create.exec().getId();
    } catch (DockerException e) {
      throw new ContainerizerException(
          "cannot run a command in " + dockerId + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var callback =
        docker
            .execStartCmd(execId)
            .exec(
                new ResultCallback.Adapter<Frame>() {
                  @Override
                  public void onNext(Frame frame) {
                    synchronized (out) {
                      byte[] payload = frame.getPayload();
                      int room = EXEC_OUTPUT_LIMIT - out.size();
                      out.write(payload, 0, Math.max(0, Math.min(room, payload.length)));
                    }
                  }
                })) {
      boolean ended = callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
      var inspect = docker.inspectExecCmd(execId).exec();
      String text;
      synchronized (out) {
        text = out.toString(StandardCharsets.UTF_8);
      }
      if (!ended || Boolean.TRUE.equals(inspect.isRunning())) {
        Long pid = inspect.getPidLong();
        return new Exec(-1, true, text, pid == null ? 0 : pid);
      }
      Long code = inspect.getExitCodeLong();
      return new Exec(code == null ? -1 : code.intValue(), false, text, 0);
    } catch (IOException | DockerException e) {
      throw new ContainerizerException(
          "cannot run a command in " + dockerId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted running a command in " + dockerId, e);
    }
  }

  @Override
  public void close() throws IOException {
    docker.close();
  }
}

package io.strata.agent.health;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.api.CommandInfo;
import io.strata.api.HealthCheck;
import io.strata.api.TaskInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks' health checks: after the grace period, one check every interval, each bounded by its
 * timeout. COMMAND runs in the task's container ({@link Containerizer#exec}); HTTP and TCP reach
 * the task's port on this host. After {@code consecutiveFailures} failures in a row the task is
 * declared unhealthy for good and its owner kills it.
 */
public final class HealthChecker implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HealthChecker.class.getName());

  /** Hears a task's health. */
  public interface Verdicts {
    /** The task became healthy or unhealthy (reported as a RUNNING update with {@code healthy}). */
    void changed(boolean healthy);

    /** It failed too many checks in a row: kill it with reason HEALTH_CHECK_FAILED. */
    void failed(String lastFailure);
  }

  /** A task's checks; cancel when the task ends. */
  public interface Handle {
    void cancel();
  }

  private final ScheduledExecutorService scheduler;
  private HttpClient http;
  private final String host;

  /**
   * @param host where HTTP and TCP checks connect (the task's host: 127.0.0.1)
   */
  public HealthChecker(String host) {
    this.host = host;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("strata-health").factory());
  }

  public Handle watch(
      ContainerId id, TaskInfo task, Containerizer containerizer, Verdicts verdicts) {
    HealthCheck hc = task.healthCheck();
    Run run = new Run(id, task, hc, containerizer, verdicts);
    run.future =
        scheduler.scheduleWithFixedDelay(
            () -> Thread.ofVirtual().start(run::checkOnce),
            hc.gracePeriodMillis(),
            hc.intervalMillis(),
            TimeUnit.MILLISECONDS);
    return run;
  }

  private final class Run implements Handle {
    final ContainerId id;
    final TaskInfo task;
    final HealthCheck hc;
    final Containerizer containerizer;
    final Verdicts verdicts;
    volatile ScheduledFuture<?> future;
    private int failures;
    private Boolean healthy;
    private boolean running;
    private volatile boolean cancelled;

    Run(
        ContainerId id,
        TaskInfo task,
        HealthCheck hc,
        Containerizer containerizer,
        Verdicts verdicts) {
      this.id = id;
      this.task = task;
      this.hc = hc;
      this.containerizer = containerizer;
      this.verdicts = verdicts;
    }

    void checkOnce() {
      synchronized (this) {
        if (running || cancelled) {
          return; // the previous check is still going; its timeout bounds it
        }
        running = true;
      }
      String failure;
      try {
        failure = probe();
      } catch (RuntimeException e) {
        failure = e.getMessage();
      }
      boolean kill = false;
      Boolean changedTo = null;
      String last = failure;
      synchronized (this) {
        running = false;
        if (cancelled) {
          return;
        }
        if (failure == null) {
          failures = 0;
          if (!Boolean.TRUE.equals(healthy)) {
            changedTo = healthy = true;
          }
        } else {
          failures++;
          if (!Boolean.FALSE.equals(healthy)) {
            changedTo = healthy = false;
          }
          if (failures >= hc.consecutiveFailures()) {
            kill = true;
            cancelled = true;
          }
        }
      }
      if (changedTo != null) {
        verdicts.changed(changedTo);
      }
      if (kill) {
        future.cancel(false);
        LOG.log(
            System.Logger.Level.INFO,
            "task "
                + task.taskId()
                + " failed "
                + hc.consecutiveFailures()
                + " health checks in a row: "
                + last);
        verdicts.failed(last);
      }
    }

    /** Null when healthy, else why not. */
    private String probe() {
      Duration timeout = Duration.ofMillis(hc.timeoutMillis());
      return switch (hc.type()) {
        case COMMAND -> {
          var result = containerizer.exec(id, CommandInfo.shell(hc.command()), timeout);
          yield result.succeeded()
              ? null
              : result.timedOut()
                  ? "command timed out after " + timeout.toMillis() + " ms"
                  : "command exited with " + result.exitCode();
        }
        case HTTP -> http(port(), hc.path(), timeout);
        case TCP -> tcp(port(), timeout);
      };
    }

    private int port() {
      if (hc.port() != null) {
        return hc.port();
      }
      var ports = task.resources().ports().ranges();
      int index = hc.portIndex();
      for (var r : ports) {
        if (index < r.size()) {
          return r.begin() + index;
        }
        index -= (int) r.size();
      }
      throw new IllegalStateException(
          "healthCheck.portIndex " + hc.portIndex() + " is beyond the task's ports");
    }

    @Override
    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  /** Made on the first HTTP check: each client keeps a selector thread. */
  private synchronized HttpClient httpClient() {
    if (http == null) {
      http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .sslContext(io.strata.api.client.HttpTransport.plainHttpOnly())
              .build();
    }
    return http;
  }

  private String http(int port, String path, Duration timeout) {
    try {
      HttpResponse<Void> r =
          httpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                      .timeout(timeout)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() >= 200 && r.statusCode() < 400 ? null : "HTTP " + r.statusCode();
    } catch (IOException e) {
      return "HTTP check failed: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String tcp(int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return null;
    } catch (IOException e) {
      return "cannot connect to port " + port + ": " + e.getMessage();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

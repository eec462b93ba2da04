package io.strata.agent.health;

import static io.strata.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.fake.ScriptedContainerizer;
import io.strata.api.HealthCheck;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP and TCP checks against real servers on 127.0.0.1. */
class HealthCheckerTest {
  final HealthChecker checker = new HealthChecker("127.0.0.1");
  final List<Boolean> verdicts = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();
  final HealthChecker.Verdicts listener =
      new HealthChecker.Verdicts() {
        @Override
        public void changed(boolean healthy) {
          verdicts.add(healthy);
        }

        @Override
        public void failed(String lastFailure) {
          failures.add(lastFailure);
        }
      };

  @AfterEach
  void close() {
    checker.close();
  }

  static TaskInfo task(HealthCheck hc, int port) {
    return new TaskInfo(
        TaskId.of("checked"),
        null,
        io.strata.api.CommandInfo.shell("serve"),
        null,
        Resources.of(100, 1L << 20).withPorts(PortRanges.range(port, port)),
        null,
        null,
        null,
        null,
        null,
        hc,
        null);
  }

  @Test
  void tcpCheckFollowsTheListenerAndGivesUpAfterConsecutiveFailures() throws Exception {
    ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    int port = listener.getLocalPort();
    HealthCheck hc = new HealthCheck(HealthCheck.Type.TCP, null, null, null, 0, 20L, 500L, 0L, 3);
    checker.watch(
        ContainerId.of("c-1"),
        task(hc, port),
        new ScriptedContainerizer(new ScriptedContainerizer.Host()),
        this.listener);

    await("healthy", () -> verdicts.contains(true));
    listener.close();

    await("given up", () -> !failures.isEmpty());
    assertThat(verdicts).containsExactly(true, false);
    assertThat(failures.get(0)).contains("cannot connect to port " + port);
  }

  @Test
  void httpCheckTakes2xxAnd3xxAsHealthy() throws Exception {
    AtomicInteger status = new AtomicInteger(204);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext(
        "/ready",
        ex -> {
          ex.sendResponseHeaders(status.get(), -1);
          ex.close();
        });
    server.start();
    try {
      HealthCheck hc =
          new HealthCheck(
              HealthCheck.Type.HTTP,
              null,
              "/ready",
              server.getAddress().getPort(),
              null,
              20L,
              1000L,
              0L,
              2);
      checker.watch(
          ContainerId.of("c-2"),
          task(hc, 31000),
          new ScriptedContainerizer(new ScriptedContainerizer.Host()),
          listener);
      await("healthy", () -> verdicts.contains(true));

      status.set(503);

      await("given up", () -> !failures.isEmpty());
      assertThat(failures.get(0)).isEqualTo("HTTP 503");
    } finally {
      server.stop(0);
    }
  }
}

package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.agent.Agent;
import io.strata.agent.AgentConfig;
import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.linux.LinuxMachine;
import io.strata.agent.tasks.Sandboxes;
import io.strata.allocator.server.AllocatorServer;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata logs} against an agent whose endpoint takes only the allocator's access tokens: the
 * CLI gets one with the operator's token and reads the sandbox; without one the agent says 401.
 */
class LogsAgentAccessTest {
  static final String JOIN = "join-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static final String WEB = "web-token-0123456789ab";
  @TempDir Path tmp;

  @Test
  void logsFetchesAnAccessTokenAndOnlyOperatorsGetOne() throws Exception {
    AllocatorConfig config =
        AllocatorConfig.parse(
            """
            dataDir: %s
            host: 127.0.0.1
            port: 0
            joinToken: %s
            principals:
              - {name: admin, token: %s, roles: ["*"], operator: true}
              - {name: web, token: %s, roles: [web]}
            """
                .formatted(tmp.resolve("allocator"), JOIN, ADMIN, WEB));
    try (AllocatorServer server = AllocatorServer.start(config)) {
      Path work = tmp.resolve("agent");
      AgentConfig node =
          new AgentConfig(
              work.toString(),
              server.uri().toString(),
              JOIN,
              "node-1",
              "127.0.0.1:0",
              null,
              "cpus:1;mem:256",
              null,
              null,
              Map.of(),
              null,
              List.of(),
              false,
              null,
              null,
              null,
              null);
      Agent agent =
          new Agent(
              node,
              List.of(),
              new LinuxMachine(),
              Clock.systemUTC(),
              BootstrapEndToEndTest.timings());
      agent.start();
      try {
        await().atMost(30, TimeUnit.SECONDS).until(agent::isConnected);
        // The sandbox of a task that has ended: the allocator no longer knows the task.
        Path sandbox =
            new Sandboxes(work.resolve("sandboxes"), 1 << 20, 2)
                .create(
                    ContainerId.of("batch-0123456789ab"),
                    new FrameworkId("jobs"),
                    new TaskId("batch.r1.0"));
        Files.writeString(sandbox.resolve("stdout"), "task batch.r1.0\n");

        HttpResponse<String> anonymous =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + agent.httpPort() + "/v1/sandboxes"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        Cli.Result logs = Cli.run(env(server.uri(), ADMIN), "logs", "batch.r1.0");
        assertThat(logs.code()).as(logs.toString()).isZero();
        assertThat(logs.out()).isEqualTo("task batch.r1.0\n");

        Cli.Result framework = Cli.run(env(server.uri(), WEB), "logs", "batch.r1.0");
        assertThat(framework.code()).as(framework.toString()).isNotZero();
        assertThat(framework.err()).contains("principal web may not view");
      } finally {
        agent.close();
      }
    }
  }

  private Map<String, String> env(URI allocator, String token) {
    return Map.of(
        "STRATA_URL", allocator.toString(),
        "STRATA_TOKEN", token,
        "STRATA_CONFIG", tmp.resolve("no-config").toString(),
        "STRATA_DATA_DIR", tmp.resolve("no-data").toString());
  }
}

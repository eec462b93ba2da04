package io.strata.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.core.Backoff;
import io.strata.agent.fake.ScriptedContainerizer;
import io.strata.agent.health.HealthChecker;
import io.strata.agent.status.StatusOutbox;
import io.strata.agent.tasks.Sandboxes;
import io.strata.agent.tasks.TaskStore;
import io.strata.agent.tasks.Tasks;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxEndpointTest {
  @TempDir Path work;
  AgentHttpServer server;
  StatusOutbox outbox;
  HealthChecker health;
  final HttpClient client = HttpClient.newHttpClient();
  final ContainerId id = ContainerId.of("web-0123456789ab");

  @BeforeEach
  void start() throws Exception {
    Sandboxes sandboxes = new Sandboxes(work.resolve("sandboxes"), 1 << 20, 2);
    Path sandbox = sandboxes.create(id, new FrameworkId("fw"), new TaskId("web"));
    Files.writeString(sandbox.resolve("stdout"), "0123456789");
    Files.createDirectories(sandbox.resolve("logs"));
    Files.writeString(work.resolve("secret"), "top secret");
    Files.createSymbolicLink(sandbox.resolve("escape"), work.resolve("secret"));
    outbox =
        new StatusOutbox(
            work.resolve("outbox"),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1)),
            s -> {});
    health = new HealthChecker("127.0.0.1");
    Tasks tasks =
        new Tasks(
            new Tasks.Settings("h", "nobody", List.of(), () -> Resources.EMPTY),
            new TaskStore(work.resolve("meta")),
            outbox,
            sandboxes,
            List.<Containerizer>of(new ScriptedContainerizer(new ScriptedContainerizer.Host())),
            health,
            Clock.systemUTC(),
            Optional::empty);
    server = new AgentHttpServer("127.0.0.1", 0, tasks, sandboxes.root());
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    outbox.close();
    health.close();
  }

  HttpResponse<String> get(String rawPath) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + rawPath)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesFilesRangesAndListings() throws Exception {
    String base = "/v1/sandboxes/" + id + "/files/";
    assertThat(get(base + "stdout").body()).isEqualTo("0123456789");
    assertThat(get(base + "stdout?offset=4&length=3").body()).isEqualTo("456");
    HttpResponse<String> listing = get(base);
    assertThat(listing.statusCode()).isEqualTo(200);
    assertThat(listing.body()).contains("\"name\":\"stdout\"").contains("\"name\":\"logs\"");
    assertThat(get(base + "missing").statusCode()).isEqualTo(404);
    assertThat(get("/health").body()).isEqualTo("ok\n");
    assertThat(get("/v1/tasks").body()).isEqualTo("[]");
  }

  @Test
  void listsTheSandboxesOfEndedTasksByTaskId() throws Exception {
    HttpResponse<String> all = get("/v1/sandboxes");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body())
        .contains("\"taskId\":\"web\"")
        .contains("\"containerId\":\"" + id + "\"")
        .contains("\"held\":false")
        .contains("\"files\":\"/v1/sandboxes/" + id + "/files/\"");
    assertThat(get("/v1/sandboxes?taskId=web").body()).contains(id.value());
    assertThat(get("/v1/sandboxes?taskId=db").body()).isEqualTo("[]");
    assertThat(get("/v1/sandboxes/.owners/files/").statusCode()).isEqualTo(400);
  }

  @Test
  void refusesEveryWayOutOfTheSandbox() throws Exception {
    String base = "/v1/sandboxes/" + id + "/files/";
    for (String escape :
        List.of(
            "../../secret",
            "..%2F..%2Fsecret",
            "%2e%2e/%2e%2e/secret",
            "escape",
            "logs/../../../secret")) {
      HttpResponse<String> r = get(base + escape);
      assertThat(r.statusCode()).as(escape).isEqualTo(403);
      assertThat(r.body()).as(escape).contains("leaves the sandbox").doesNotContain("top secret");
    }
    assertThat(get("/v1/sandboxes/..%2F..%2Fetc/files/passwd").statusCode()).isIn(400, 404);
    assertThat(get("/v1/sandboxes/x..y/files/passwd").statusCode()).isEqualTo(404);
  }

  @Test
  void sandboxPathsRefuseAbsolutePathsAndNul() {
    Path root = work.resolve("sandboxes").resolve(id.value());
    assertThat(SandboxPaths.resolve(root, "/etc/passwd")).isEmpty();
    assertThat(SandboxPaths.resolve(root, "a\0b")).isEmpty();
    assertThat(SandboxPaths.resolve(root, "logs/./x")).contains(root.resolve("logs/x"));
  }
}

package io.strata.agent;

import static io.strata.testkit.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.fake.ScriptedContainerizer;
import io.strata.fakes.allocator.FakeAllocator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's endpoint takes the tokens of the allocator it registered with, checked with the key
 * from the registration answer, and keeps that key across a restart.
 */
class AgentEndpointAccessTest {
  @TempDir Path work;
  final FakeAllocator allocator = new FakeAllocator("join-secret", 100);
  final HttpClient client = HttpClient.newHttpClient();
  Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    allocator.close();
  }

  Agent start() throws Exception {
    AgentConfig config =
        new AgentConfig(
            work.toString(),
            allocator.uri().toString(),
            "join-secret",
            null,
            "127.0.0.1:0",
            null,
            "mem:4096",
            null,
            null,
            Map.of(),
            "nobody",
            List.of(),
            false,
            null,
            null,
            null,
            null);
    agent =
        new Agent(
            config,
            List.of(new ScriptedContainerizer(new ScriptedContainerizer.Host())),
            AgentProtocolTest.MACHINE,
            Clock.systemUTC(),
            AgentProtocolTest.FAST);
    agent.start();
    return agent;
  }

  int status(String bearer) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/v1/tasks"))
            .timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void acceptsTheRegisteredAllocatorsTokensAlsoAfterARestartWithoutIt() throws Exception {
    allocator.start();
    start();
    String token = allocator.accessToken();
    await("the registration's key", () -> agent.isConnected());
    assertThat(status(token)).isEqualTo(200);
    assertThat(status(null)).isEqualTo(401);
    assertThat(status("sat1.e30.AAAA")).isEqualTo(401);

    agent.close();
    allocator.stop();
    start();
    assertThat(agent.isConnected()).isFalse();
    assertThat(status(token)).isEqualTo(200);
    assertThat(status(null)).isEqualTo(401);
  }
}

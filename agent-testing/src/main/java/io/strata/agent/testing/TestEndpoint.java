package io.strata.agent.testing;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.files.SandboxFiles;
import io.strata.agent.health.HealthChecker;
import io.strata.agent.http.AgentHttpServer;
import io.strata.agent.http.SignedAccess;
import io.strata.agent.status.StatusOutbox;
import io.strata.agent.tasks.Sandboxes;
import io.strata.agent.tasks.TaskStore;
import io.strata.agent.tasks.Tasks;
import io.strata.api.Backoff;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.agent.AccessToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An agent endpoint on loopback over one sandbox, with an operator token, for tests of the endpoint
 * with any {@link SandboxFiles} (agent-linux runs it with its own).
 */
public final class TestEndpoint implements AutoCloseable {
  public final ContainerId id = ContainerId.of("web-0123456789ab");
  public final Path sandbox;
  public final AgentHttpServer server;
  public final String token;
  private final StatusOutbox outbox;
  private final HealthChecker health;

  public TestEndpoint(Path work, SandboxFiles files, AgentHttpServer.Limits limits)
      throws IOException {
    this(work, files, limits, Clock.systemUTC(), ed25519());
  }

  /**
   * An endpoint whose tokens are checked against {@code clock}, signed by {@code key} (the
   * allocator's): {@link #token} is valid for an hour from the clock's now.
   */
  public TestEndpoint(
      Path work, SandboxFiles files, AgentHttpServer.Limits limits, Clock clock, KeyPair key)
      throws IOException {
    Sandboxes sandboxes = new Sandboxes(work.resolve("sandboxes"), 1 << 20, 2);
    sandbox = sandboxes.create(id, new FrameworkId("fw"), new TaskId("web"));
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
            List.<Containerizer>of(),
            health,
            Clock.systemUTC(),
            Optional::empty);
    long now = clock.instant().getEpochSecond();
    token =
        AccessToken.sign(
            new AccessToken.Claims("ops", "operator", now, now + 3600), key.getPrivate());
    server =
        new AgentHttpServer(
            "127.0.0.1",
            0,
            tasks,
            sandboxes.root(),
            files,
            new SignedAccess(() -> Optional.of(key.getPublic()), clock),
            limits);
    server.start();
  }

  public static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** The URI of a file in the sandbox. */
  public URI file(String relative) {
    return uri("/v1/sandboxes/" + id + "/files/" + relative);
  }

  /** A client whose connections come from {@code localAddress} (another loopback address). */
  public static HttpClient client(String localAddress) {
    try {
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .localAddress(InetAddress.getByName(localAddress))
          .connectTimeout(Duration.ofSeconds(5))
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token)
        .build();
  }

  public HttpResponse<String> send(HttpClient client, URI uri) throws Exception {
    return client.send(get(uri), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.close();
    outbox.close();
    health.close();
  }
}

package io.strata.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.api.Os;
import io.strata.api.json.Codec;
import io.strata.cli.inprocess.InProcess;
import io.strata.fakes.agents.SimulatedCluster;
import io.strata.workloads.Workloads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything served on the allocator's port: the allocator with the built-in frameworks in its
 * process (as {@code strata up} runs it), on 127.0.0.1 with known tokens. Principals: {@code admin}
 * (operator, every role) and {@code web} (role web).
 */
final class PortFixture implements AutoCloseable {
  static final String JOIN = "join-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";
  static final String WEB = "web-token-0123456789ab";

  private final InProcess cluster;
  private final SimulatedCluster agents;
  private final Path dir;

  private PortFixture(InProcess cluster, Path dir) {
    this.cluster = cluster;
    this.dir = dir;
    this.agents = new SimulatedCluster(cluster.server().uri(), JOIN);
  }

  /** Registers a simulated agent (protocol level, no processes); returns its id. */
  String addAgent() {
    return agents.add("fuzz-agent", Os.LINUX, "cpus:4;mem:4096", Map.of()).id().value();
  }

  static PortFixture start() throws IOException {
    Path dir = Files.createTempDirectory("strata-port");
    AllocatorConfig config =
        new AllocatorConfig(
            dir.resolve("allocator").toString(),
            "127.0.0.1",
            0,
            JOIN,
            List.of(
                new Principal("admin", ADMIN, Set.of("*"), true),
                new Principal("web", WEB, Set.of("web"), false)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            42L);
    return new PortFixture(InProcess.start(config, true), dir);
  }

  int port() {
    return cluster.server().port();
  }

  List<String> routes() {
    return cluster.server().routes();
  }

  Workloads workloads() {
    return cluster.workloads();
  }

  /** The OpenAPI document as the server serves it. */
  JsonNode document() throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port() + "/v1/openapi.json"))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    return Codec.JSON.mapper().readTree(r.body());
  }

  @Override
  public void close() {
    agents.close();
    cluster.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}

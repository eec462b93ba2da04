package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusAck;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.operator.AgentAccessGrant;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.DrainRequest;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.JoinToken;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.api.operator.LeaderView;
import io.strata.api.operator.RoleConfig;
import io.strata.api.operator.RoleView;
import io.strata.api.operator.ServiceEndpoints;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.LaunchedTask;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document ({@code src/main/resources/openapi.json}) against the running server: the
 * same routes in both directions, and the same wire types. Run with {@code
 * -Dstrata.openapi.write=true} to rewrite the document's schemas from the code.
 */
class OpenApiTest {
  static final List<Class<?>> WIRE_TYPES =
      List.of(
          RegisterAgent.class,
          AgentRegistered.class,
          TaskStatus.class,
          StatusAck.class,
          StatusUpdates.class,
          StatusAcks.class,
          AgentMessage.class,
          SchedulerCall.class,
          SchedulerEvent.class,
          LaunchedTask.class,
          ClusterState.class,
          AgentView.class,
          FrameworkView.class,
          TaskView.class,
          RoleView.class,
          RoleConfig.class,
          DrainRequest.class,
          JoinTokenRequest.class,
          JoinToken.class,
          JoinTokenView.class,
          AgentAccessGrant.class,
          LeaderView.class,
          ServiceEndpoints.class,
          Problem.class);
  static final Path SOURCE = Path.of("src/main/resources/openapi.json");

  @TempDir static Path dir;
  static TestAllocator allocator;

  @BeforeAll
  static void start() {
    allocator = new TestAllocator(dir, "").start();
  }

  @AfterAll
  static void stop() {
    allocator.close();
  }

  static JsonNode document() throws Exception {
    return Codec.JSON.mapper().readTree(AllocatorServer.openApiDocument());
  }

  /** {@code /v1/roles/<role>} and {@code /v1/agents/{agentId}} → {@code /v1/roles/{role}}. */
  static String openApiPath(String javalinPath) {
    return javalinPath.replaceAll("<([^>]+)>", "{$1}");
  }

  @Test
  void theDocumentListsExactlyTheRoutesTheServerServes() throws Exception {
    Set<String> served = new TreeSet<>();
    for (String route : allocator.server.routes()) {
      String[] parts = route.split(" ", 2);
      served.add(parts[0].toUpperCase(Locale.ROOT) + " " + openApiPath(parts[1]));
    }
    Set<String> documented = new TreeSet<>();
    JsonNode paths = document().get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        JsonNode operation = paths.get(path).get(method);
        if (METHODS.contains(method) && !servedByExtension(operation)) {
          documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    assertThat(documented)
        .as("documented but not served, or served but not documented")
        .isEqualTo(served);
  }

  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  /**
   * Operations tagged {@code workloads} are the built-in frameworks' API, served on this port by an
   * {@link HttpExtension} (cli's WorkloadsExtension); cli's {@code PortOpenApiTest} checks them
   * against the server that runs it.
   */
  static boolean servedByExtension(JsonNode operation) {
    for (JsonNode tag : operation.path("tags")) {
      if (tag.asText().equals("workloads")) {
        return true;
      }
    }
    return false;
  }

  /** Each operation of the document as "METHOD path" → the operation. */
  static java.util.Map<String, JsonNode> operations(JsonNode doc) {
    java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
    JsonNode paths = doc.get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        if (METHODS.contains(method)) {
          out.put(method.toUpperCase(Locale.ROOT) + " " + path, paths.get(path).get(method));
        }
      }
    }
    return out;
  }

  @Test
  void everyOperationHasAUniqueCamelCaseOperationId() throws Exception {
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    List<String> wrong = new ArrayList<>();
    for (var e : operations(document()).entrySet()) {
      String id = e.getValue().path("operationId").asText("");
      if (!id.matches("[a-z][a-zA-Z0-9]*")) {
        wrong.add(e.getKey() + ": operationId '" + id + "' is missing or not camelCase");
      } else if (seen.put(id, e.getKey()) != null) {
        wrong.add(e.getKey() + ": operationId " + id + " is also " + seen.get(id));
      }
    }
    assertThat(wrong).isEmpty();
  }

  /**
   * The statuses every operation can answer whatever it does: 400 (not valid HTTP, or invalid
   * input) and 431 (headers too large), all problem+json; 401 where a token is required; 408 (body
   * stalled) and 413 (body too large) where a body is read; 503 where state changes (the state
   * store may fail).
   */
  @Test
  void everyOperationListsTheStatusesItsKindCanAnswer() throws Exception {
    List<String> missing = new ArrayList<>();
    for (var e : operations(document()).entrySet()) {
      JsonNode op = e.getValue();
      Set<String> need = new TreeSet<>(Set.of("400", "431"));
      if (!op.path("security").isEmpty()) {
        need.add("401");
      }
      if (op.has("requestBody")) {
        need.add("408");
        need.add("413");
      }
      if (!e.getKey().startsWith("GET ")) {
        need.add("503");
      }
      for (String status : need) {
        if (!op.path("responses").has(status)) {
          missing.add(e.getKey() + " " + status);
        }
      }
      op.path("responses")
          .fields()
          .forEachRemaining(
              r -> {
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                  String ref = r.getValue().path("$ref").asText("");
                  if (!ref.startsWith("#/components/responses/")) {
                    missing.add(e.getKey() + " " + r.getKey() + " is not a problem response");
                  }
                }
              });
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void theDocumentsSchemasAreTheWireTypes() throws Exception {
    ObjectNode generated = OpenApiSchemas.of(WIRE_TYPES);
    JsonNode doc = document();
    if (Boolean.getBoolean("strata.openapi.write")) {
      ObjectNode rewritten = (ObjectNode) Codec.JSON.mapper().readTree(Files.readAllBytes(SOURCE));
      ((ObjectNode) rewritten.get("components")).set("schemas", generated);
      Files.writeString(
          SOURCE,
          Codec.JSON
                  .mapper()
                  .copy()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(rewritten)
              + "\n");
      doc = rewritten;
    }
    assertThat(doc.get("components").get("schemas"))
        .as("schemas differ from the code: run OpenApiTest with -Dstrata.openapi.write=true")
        .isEqualTo(generated);
  }

  @Test
  void everyReferenceResolves() throws Exception {
    JsonNode doc = document();
    String text = doc.toString();
    Matcher m =
        Pattern.compile("\"\\$ref\":\"#/components/([a-zA-Z]+)/([A-Za-z0-9]+)\"").matcher(text);
    List<String> missing = new ArrayList<>();
    int refs = 0;
    while (m.find()) {
      refs++;
      if (!doc.path("components").path(m.group(1)).has(m.group(2))) {
        missing.add(m.group(1) + "/" + m.group(2));
      }
    }
    assertThat(refs).isGreaterThan(20);
    assertThat(missing).isEmpty();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
  }

  @Test
  void theServerServesTheDocument() throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(allocator.uri() + "/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Codec.JSON.mapper().readTree(r.body())).isEqualTo(document());
  }
}

package io.strata.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against everything served on the allocator's port, the built-in frameworks'
 * API included (the allocator's own OpenApiTest sees only the allocator's routes).
 */
class PortOpenApiTest {
  static PortFixture port;

  @BeforeAll
  static void start() throws Exception {
    port = PortFixture.start();
  }

  @AfterAll
  static void stop() {
    port.close();
  }

  @Test
  void theDocumentListsExactlyTheRoutesServedOnThePort() throws Exception {
    Set<String> served = new TreeSet<>();
    for (String route : port.routes()) {
      String[] parts = route.split(" ", 2);
      served.add(
          parts[0].toUpperCase(Locale.ROOT) + " " + parts[1].replaceAll("<([^>]+)>", "{$1}"));
    }
    Set<String> documented = new TreeSet<>();
    JsonNode paths = port.document().get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        documented.add(m.next().toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    assertThat(served).contains("GET /v1/apps", "POST /v1/workloads/tasks/{id}/kill");
    assertThat(documented)
        .as("documented but not served, or served but not documented")
        .isEqualTo(served);
  }
}

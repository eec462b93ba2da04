package io.strata.provisioner.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The Java renderer gives, byte for byte, what Terraform's templatefile() gave for the golden cases
 * kept in terraform/check/test/golden (rendered there by real Terraform).
 */
class TerraformGoldenTest {
  private static final Path GOLDEN = Path.of("..", "terraform", "check", "test", "golden");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  List<DynamicTest> rendersLikeTerraform() throws Exception {
    JsonNode cases = JSON.readTree(GOLDEN.resolve("cases.json").toFile());
    JsonNode rendered =
        JSON.readTree(GOLDEN.resolve("terraform-rendered.json").toFile()).path("cases");
    List<DynamicTest> tests = new ArrayList<>();
    cases
        .fields()
        .forEachRemaining(
            c ->
                tests.add(
                    DynamicTest.dynamicTest(
                        c.getKey(),
                        () -> {
                          String template =
                              Files.readString(
                                  GOLDEN.resolve(c.getValue().path("template").asText()),
                                  StandardCharsets.UTF_8);
                          @SuppressWarnings("unchecked")
                          Map<String, Object> vars =
                              JSON.convertValue(c.getValue().path("vars"), Map.class);
                          assertThat(Template.parse(c.getKey(), template).render(vars))
                              .isEqualTo(rendered.path(c.getKey()).path("text").asText());
                        })));
    assertThat(tests).hasSizeGreaterThan(5);
    return tests;
  }
}

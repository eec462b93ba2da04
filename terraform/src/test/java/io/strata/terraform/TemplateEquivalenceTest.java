package io.strata.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.bootstrap.Template;
import io.strata.provisioner.core.ClusterSecrets;
import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRole;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.spec.ClusterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One copy of the bootstrap templates, two renderers, the same bytes. Real Terraform planned each
 * example of each module offline (the check's {@code src/plan.js}; committed as {@code
 * check/test/golden/example-plans.json}, whose freshness the check verifies): every {@code
 * templatefile()} call with its variables and Terraform's rendering. Here the provisioner renders
 * the same template with the same variables, and, from a cluster spec that says what the example's
 * module inputs say, computes its own variables and script for every machine. Everything must be
 * identical.
 */
class TemplateEquivalenceTest {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
  private static final Path TEMPLATES = NodeCheck.TERRAFORM_DIR.resolve("templates");
  private static final Path GOLDEN = NodeCheck.CHECK_DIR.resolve("test/golden");
  private static List<TemplatefileCall> calls;

  /** One templatefile() call of an example, as Terraform evaluated it. */
  record TemplatefileCall(
      String example,
      String module,
      String template,
      Map<String, Object> inputs,
      Map<String, Object> vars,
      String rendered) {}

  @BeforeAll
  static void readPlans() throws IOException {
    JsonNode plans = JSON.readTree(GOLDEN.resolve("example-plans.json").toFile());
    calls = JSON.convertValue(plans.get("calls"), new TypeReference<List<TemplatefileCall>>() {});
  }

  @Test
  void everyExampleRendersEveryTemplate() {
    assertThat(calls)
        .extracting(c -> c.example() + " " + c.template())
        .contains(
            "azure/examples/hybrid allocator.cloud-init.yaml.tftpl",
            "azure/examples/hybrid linux-agent.cloud-init.yaml.tftpl",
            "azure/examples/hybrid windows-agent.ps1.tftpl",
            "openstack/examples/hybrid allocator.cloud-init.yaml.tftpl",
            "openstack/examples/hybrid linux-agent.cloud-init.yaml.tftpl",
            "openstack/examples/hybrid windows-agent.ps1.tftpl",
            "azure/examples/ha allocator.cloud-init.yaml.tftpl",
            "openstack/examples/ha allocator.cloud-init.yaml.tftpl");
  }

  /** The HA examples render one script per allocator machine, each with its own id and URL. */
  @Test
  void anHaGroupOfThreeRendersThreeAllocatorsOfOneEnsemble() {
    for (String module : List.of("azure", "openstack")) {
      List<TemplatefileCall> allocators =
          calls.stream()
              .filter(c -> c.example().endsWith(module + "/examples/ha"))
              .filter(c -> c.template().equals(BootstrapScripts.ALLOCATOR))
              .toList();
      assertThat(allocators).as(module).hasSize(3);
      assertThat(allocators)
          .extracting(c -> ((Number) c.vars().get("zookeeper_myid")).intValue())
          .containsExactlyInAnyOrder(1, 2, 3);
      assertThat(allocators)
          .extracting(c -> c.vars().get("zookeeper_url"))
          .containsOnly("zk://10.40.0.10:2181,10.40.0.11:2181,10.40.0.12:2181/strata");
      assertThat(allocators)
          .extracting(c -> c.vars().get("advertise_url"))
          .containsExactlyInAnyOrder(
              "https://10.40.0.10:5050", "https://10.40.0.11:5050", "https://10.40.0.12:5050");
      assertThat(
              calls.stream()
                  .filter(c -> c.example().endsWith(module + "/examples/ha"))
                  .filter(c -> !c.template().equals(BootstrapScripts.ALLOCATOR))
                  .map(c -> c.vars().get("allocator_url")))
          .containsOnly("https://10.40.0.10:5050,https://10.40.0.11:5050,https://10.40.0.12:5050");
    }
  }

  @TestFactory
  Stream<DynamicTest> theProvisionerRendersTheModulesVariablesIdentically() {
    return calls.stream()
        .map(
            c ->
                dynamicTest(
                    c.example() + ": " + c.template() + " pool " + c.vars().get("pool_name"),
                    () ->
                        assertThat(
                                Template.parse(c.template(), template(c.template()))
                                    .render(c.vars()))
                            .isEqualTo(c.rendered())));
  }

  @TestFactory
  Stream<DynamicTest> theProvisionerPassesTheSameVariablesForTheSameCluster() {
    return calls.stream().map(c -> dynamicTest(c.example() + ": " + c.template(), () -> same(c)));
  }

  /**
   * The provisioner, given the spec equivalent to the module's inputs, does what the module does.
   */
  private static void same(TemplatefileCall call) throws IOException {
    String cloud = call.module();
    ClusterSpec spec =
        ClusterSpec.parse(JSON.writeValueAsString(SpecMapping.spec(cloud, call.inputs())));
    ClusterSecrets secrets = SpecMapping.secrets(call.inputs());
    String allocatorUrl = (String) call.vars().getOrDefault("allocator_url", "");
    // The allocators' private addresses are the cloud's choice (the module's .10 up; the
    // provisioner's Azure provider takes the top of the subnet): given the module's, the
    // provisioner
    // must pass the same variables.
    List<String> addresses = new ArrayList<>();
    if (call.vars().get("zookeeper_servers") instanceof Map<?, ?> servers) {
      for (int id = 1; id <= servers.size(); id++) {
        addresses.add((String) servers.get(Integer.toString(id)));
      }
    }
    List<Machine> machines = new ArrayList<>();
    for (Machine m : Topology.machines(spec)) {
      boolean isAllocator = m.role() == NodeRole.ALLOCATOR;
      if (BootstrapScripts.templateOf(m).equals(call.template())
          && (isAllocator
              ? ((Number) call.vars().get("zookeeper_myid")).intValue() == m.index() + 1
              : m.pool().equals(call.vars().get("pool_name")))) {
        machines.add(m);
      }
    }
    assertThat(machines).as("machines of the spec that boot from this call").isNotEmpty();
    for (Machine m : machines) {
      Map<String, Object> theirs =
          BootstrapScripts.variables(spec, secrets, m, allocatorUrl, addresses);
      assertThat(canonical(theirs)).as(m.name() + " variables").isEqualTo(canonical(call.vars()));
      String script =
          new BootstrapScripts().render(spec, secrets, m, allocatorUrl, addresses).userData();
      assertThat(script).as(m.name() + " script").isEqualTo(call.rendered());
    }
  }

  /** Every golden case (terraform/check/test/golden), rendered by real Terraform. */
  @TestFactory
  Stream<DynamicTest> theProvisionerRendersLikeRealTerraform() throws IOException {
    Path golden = GOLDEN;
    JsonNode cases = JSON.readTree(golden.resolve("cases.json").toFile());
    JsonNode terraform = JSON.readTree(golden.resolve("terraform-rendered.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    cases
        .fields()
        .forEachRemaining(
            e ->
                tests.add(
                    dynamicTest(
                        e.getKey(),
                        () -> {
                          String text =
                              Files.readString(
                                  golden.resolve(e.getValue().get("template").asText()),
                                  StandardCharsets.UTF_8);
                          Map<String, Object> vars =
                              JSON.convertValue(
                                  e.getValue().get("vars"),
                                  new TypeReference<Map<String, Object>>() {});
                          String expected =
                              terraform.get("cases").get(e.getKey()).get("text").asText();
                          assertThat(Template.parse(e.getKey(), text).render(vars))
                              .isEqualTo(expected);
                        })));
    assertThat(tests).hasSizeGreaterThan(8);
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> theRenderedScriptsAreWhatTheNodesNeed() {
    return calls.stream()
        .map(
            c ->
                dynamicTest(
                    c.example() + ": " + c.template(),
                    () -> RenderedScripts.check(c.template(), c.vars(), c.rendered())));
  }

  private static String template(String name) throws IOException {
    return Files.readString(TEMPLATES.resolve(name), StandardCharsets.UTF_8);
  }

  private static String canonical(Map<String, Object> vars) throws IOException {
    // Numbers compare by value whatever their Java type: 5050 is 5050.
    return JSON.writeValueAsString(JSON.readTree(JSON.writeValueAsString(vars)));
  }
}

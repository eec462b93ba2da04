package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.FrameworkId;
import io.strata.api.Resources;
import io.strata.api.client.ApiException;
import io.strata.api.client.SchedulerClient;
import io.strata.api.json.Violation;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.Quota;
import io.strata.api.operator.RoleConfig;
import io.strata.api.operator.RoleView;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework store and the operator API, including what survives a restart. */
class StoreAndOperatorTest {
  @TempDir Path dir;
  TestAllocator allocator;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "storeMaxValueBytes: 1024\nstoreMaxKeys: 3\n").start();
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  static ObjectNode spec(String name, int instances) {
    return JsonNodeFactory.instance.objectNode().put("name", name).put("instances", instances);
  }

  @Test
  void aFrameworkKeepsJsonDocumentsThatSurviveARestart() {
    FrameworkId id;
    try (FakeFramework fw = allocator.framework("services", TestAllocator.WEB, "web").subscribe()) {
      id = fw.id();
      fw.client.put("services/web", spec("web", 3));
      fw.client.put("services/api", spec("api", 1));
      fw.client.put("services/web", spec("web", 5));
      fw.client.delete("services/api");
      fw.client.delete("never-there");
      assertThat(fw.client.keys()).containsExactly("services/web");
      assertThat(fw.client.get("services/web")).contains(spec("web", 5));
      assertThat(fw.client.get("services/api")).isEmpty();
    }
    allocator.restart();
    try (FakeFramework fw = allocator.framework("services", TestAllocator.WEB, "web")) {
      fw.info = fw.info.withId(id);
      fw.subscribe();
      assertThat(fw.client.get("services/web")).contains(spec("web", 5));
    }
  }

  @Test
  void theStoreIsPrivateAndBounded() {
    try (FakeFramework fw = allocator.framework("services", TestAllocator.WEB, "web").subscribe();
        FakeFramework other =
            allocator.framework("jobs", TestAllocator.BATCH, "batch").subscribe()) {
      fw.client.put("a", spec("a", 1));
      // Another principal naming this framework's store.
      SchedulerClient snoop = new SchedulerClient(allocator.uri(), TestAllocator.BATCH);
      assertThatThrownBy(() -> peek(snoop, fw.id()))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));

      ObjectNode big = JsonNodeFactory.instance.objectNode().put("blob", "x".repeat(2000));
      assertThatThrownBy(() -> fw.client.put("big", big))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
      fw.client.put("b", spec("b", 1));
      fw.client.put("c", spec("c", 1));
      assertThatThrownBy(() -> fw.client.put("d", spec("d", 1)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
      fw.client.put("c", spec("c", 2)); // replacing is fine when full
      assertThat(other.client.keys()).isEmpty();
    }
  }

  /** Reads another framework's store through the raw transport (the client only knows its own). */
  private Optional<JsonNode> peek(SchedulerClient client, FrameworkId victim) {
    var http = new io.strata.api.client.HttpTransport(allocator.uri(), TestAllocator.BATCH);
    return Optional.ofNullable(
        http.send("GET", io.strata.api.client.Paths.store(victim.value()), null, JsonNode.class));
  }

  @Test
  void hierarchicalRolesAreConfiguredByPathAndShowUp() {
    // A child's guarantee comes out of its parent's (Mesos' quota tree).
    allocator
        .operator()
        .setRole("eng", new RoleConfig(null, new Quota(Resources.parse("cpus:2;mem:1024"), null)));
    RoleView view =
        allocator
            .operator()
            .setRole(
                "eng/web", new RoleConfig(2.0, new Quota(Resources.parse("cpus:1;mem:512"), null)));
    assertThat(view.name()).isEqualTo("eng/web");
    assertThat(view.weight()).isEqualTo(2.0);
    assertThat(view.quota().guarantee()).isEqualTo(Resources.parse("cpus:1;mem:512"));
    // Absent fields keep their value.
    assertThat(allocator.operator().setRole("eng/web", new RoleConfig(null, null)).weight())
        .isEqualTo(2.0);
    assertThat(allocator.operator().roles()).extracting(RoleView::name).contains("eng/web");

    assertThatThrownBy(() -> allocator.operator().setRole("Eng/bad!", new RoleConfig(1.0, null)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.problem().violations())
                  .extracting(Violation::field)
                  .containsExactly("role");
            });

    allocator.restart();
    assertThat(allocator.operator().roles())
        .filteredOn(r -> r.name().equals("eng/web"))
        .singleElement()
        .satisfies(r -> assertThat(r.weight()).isEqualTo(2.0));
  }

  private ApiException refused(String role, Quota quota) {
    try {
      allocator.operator().setRole(role, new RoleConfig(null, quota));
    } catch (ApiException e) {
      assertThat(e.status()).as(e.getMessage()).isEqualTo(409);
      assertThat(e.problem().title()).isEqualTo("Quota conflicts with the role tree");
      return e;
    }
    throw new AssertionError("quota of " + role + " was accepted: " + quota);
  }

  @Test
  void aQuotaMustFitTheRoleTreeBothWays() {
    Resources limit8 = Resources.parse("cpus:8");
    allocator
        .operator()
        .setRole("eng", new RoleConfig(null, new Quota(Resources.parse("cpus:4"), limit8)));
    allocator
        .operator()
        .setRole("eng/web", new RoleConfig(null, new Quota(Resources.parse("cpus:3"), null)));

    // Downward: a child's limit above its ancestor's, a guarantee the parent cannot hold.
    ApiException over =
        refused("eng/web/api", new Quota(Resources.EMPTY, Resources.parse("cpus:9")));
    assertThat(over.problem().violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("quota.limit.millicpus");
              assertThat(v.message()).contains("role eng ");
            });
    ApiException sum = refused("eng/db", new Quota(Resources.parse("cpus:2"), null));
    assertThat(sum.problem().violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("quota.guarantee.millicpus");
              assertThat(v.message()).contains("role eng").contains("eng/web (3000)");
            });

    // Upward: a parent below what its descendants already have.
    ApiException parent = refused("eng", new Quota(Resources.parse("cpus:2"), limit8));
    assertThat(parent.problem().violations())
        .extracting(Violation::field)
        .containsExactly("quota.guarantee.millicpus");
    assertThat(parent.problem().violations().get(0).message()).contains("eng/web (3000)");
    assertThat(refused("eng", Quota.NONE).problem().violations())
        .extracting(Violation::field)
        .containsExactly("quota.guarantee.millicpus");

    // Nothing refused changed anything; within the rules everything goes.
    assertThat(allocator.operator().roles())
        .filteredOn(r -> r.name().equals("eng"))
        .singleElement()
        .satisfies(r -> assertThat(r.quota().guarantee()).isEqualTo(Resources.parse("cpus:4")));
    allocator
        .operator()
        .setRole("eng/db", new RoleConfig(null, new Quota(Resources.parse("cpus:1"), limit8)));
  }

  @Test
  void stateMetricsAndHealth() {
    try (FakeAgent agent = allocator.agent("node-1", "cpus:2;mem:1024").register().connect();
        FakeFramework fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe()) {
      fw.awaitOffer("node-1");
      ClusterState state = allocator.operator().state();
      assertThat(state.agents())
          .singleElement()
          .satisfies(a -> assertThat(a.id()).isEqualTo(agent.id));
      assertThat(state.frameworks())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.connected()).isTrue();
                assertThat(f.principal()).isEqualTo("web");
                assertThat(f.outstandingOffers()).isEqualTo(1);
              });
      String metrics = allocator.operator().metrics();
      assertThat(metrics)
          .contains("strata_allocation_cycle_seconds")
          .contains("strata_offers_made_total")
          .contains("strata_offers_declined_total")
          .contains("strata_offers_rescinded_total")
          .contains("strata_tasks{state=\"RUNNING\"}")
          .contains("strata_role_dominant_share{role=\"web\"}")
          .contains("strata_agents{state=\"ACTIVE\"} 1.0");
      assertThat(allocator.operator().health()).contains("ok");
      assertThat(Set.of(allocator.operator().agent(agent.id).id())).containsExactly(agent.id);
    }
  }
}

package io.strata.provisioner.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import io.strata.provisioner.providers.azure.AzureFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {
  private static List<String> fields(String yaml) {
    try {
      ClusterSpec.parse(yaml);
    } catch (ValidationException e) {
      return e.violations().stream().map(Violation::field).toList();
    }
    throw new AssertionError("expected violations");
  }

  @Test
  void theExampleParses() {
    ClusterSpec spec = ClusterSpec.parse(AzureFixture.yaml("demo", 2, 1));
    assertThat(spec.pools()).hasSize(2);
    assertThat(spec.azure().clientSecret()).isEqualTo(SecretRef.ofEnv("AZURE_CLIENT_SECRET"));
    assertThat(spec.allocator().port()).isEqualTo(5050);
    assertThat(spec.network().subnet()).isEqualTo("10.40.0.0/24");
  }

  @Test
  void anInlineSecretIsRefusedWithItsPath() {
    String yaml =
        AzureFixture.yaml("demo", 1, 0)
            .replace("clientSecret: {env: AZURE_CLIENT_SECRET}", "clientSecret: hunter2");
    assertThatThrownBy(() -> ClusterSpec.parse(yaml))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("azure.clientSecret")
        .hasMessageContaining("inline secrets are not allowed")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void everyViolationIsReportedWithItsFieldPath() {
    String yaml =
        """
        name: Bad_Name
        cloud: azure
        location: westeurope
        azure: {subscriptionId: nope, tenantId: t, clientId: c, clientSecret: {env: X}}
        allocator: {count: 2, size: s, image: "a:b:c:d"}
        pools:
          - {name: linux, os: linux, count: -1, size: s, image: "a:b:c:d"}
          - {name: linux, os: solaris, count: 1, size: s, image: "a:b:c:d", colour: red}
        network: {addressSpace: 10.0.0.0/28, adminCidrs: [nope]}
        """;
    assertThat(fields(yaml))
        .contains(
            "name",
            "azure.subscriptionId",
            "allocator.count",
            "pools[0].count",
            "pools[1].os",
            "pools[1].colour",
            "network.addressSpace",
            "network.adminCidrs[0]");
  }

  @Test
  void allocatorCountIsOneOrAnOddHaGroupOfThreeOrFive() {
    for (int count : new int[] {0, 2, 4, 6, 7, 9}) {
      String yaml =
          AzureFixture.yaml("demo", 1, 0)
              .replace("allocator: {count: 1,", "allocator: {count: " + count + ",");
      assertThatThrownBy(() -> ClusterSpec.parse(yaml))
          .as("count %d", count)
          .isInstanceOf(ValidationException.class)
          .satisfies(
              e ->
                  assertThat(((ValidationException) e).violations())
                      .singleElement()
                      .satisfies(
                          v -> {
                            assertThat(v.field()).isEqualTo("allocator.count");
                            assertThat(v.message())
                                .startsWith("must be 1, 3 or 5")
                                .contains("even ensemble")
                                .contains("7 or more");
                          }));
    }
    for (int count : new int[] {1, 3, 5}) {
      String yaml =
          AzureFixture.yaml("demo", 1, 0)
              .replace("allocator: {count: 1,", "allocator: {count: " + count + ",");
      assertThat(ClusterSpec.parse(yaml).allocator().count()).isEqualTo(count);
    }
  }

  @Test
  void theLocalCloudRunsAnHaGroupOf3Or5() {
    for (int count : new int[] {1, 3, 5}) {
      assertThat(
              ClusterSpec.parse(
                      """
                      name: demo
                      cloud: local
                      allocator: {count: %d}
                      pools: [{name: linux, os: linux, count: 1}]
                      """
                          .formatted(count))
                  .allocator()
                  .count())
          .isEqualTo(count);
    }
    assertThat(
            fields(
                """
                name: demo
                cloud: local
                allocator: {count: 2}
                pools: [{name: linux, os: linux, count: 1}]
                """))
        .containsExactly("allocator.count");
  }

  @Test
  void cloudSpecificRequirements() {
    assertThat(
            fields(
                """
                name: demo
                cloud: openstack
                allocator: {count: 1}
                pools: [{name: win, os: windows, count: 1}]
                """))
        .contains(
            "openstack",
            "location",
            "allocator.size",
            "pools[0].size",
            "pools[0].image",
            "access.sshPublicKey",
            "access.windowsAdminPassword",
            "artifactUrl");
    assertThat(
            fields(
                """
                name: demo
                cloud: local
                allocator: {count: 1}
                pools: [{name: win, os: windows, count: 1}]
                """))
        .containsExactly("pools[0].os");
  }

  @Test
  void scalingAPoolThatDoesNotExistIsAnError() {
    ClusterSpec spec = ClusterSpec.parse(AzureFixture.yaml("demo", 1, 0));
    assertThat(spec.withPoolCount("linux", 5).pools().get(0).count()).isEqualTo(5);
    assertThatThrownBy(() -> spec.withPoolCount("gpu", 2)).hasMessageContaining("gpu");
  }
}

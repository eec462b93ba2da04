package io.strata.allocator.server.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Resources;
import io.strata.api.json.Violation;
import io.strata.api.operator.Quota;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mesos' quota tree rules: guarantees nest in the parent's, limits stay under every ancestor's. */
class QuotaHierarchyTest {
  static Quota guarantee(String g) {
    return new Quota(Resources.parse(g), null);
  }

  static Quota limit(String l) {
    return new Quota(Resources.EMPTY, Resources.parse(l));
  }

  static Quota quota(String g, String l) {
    return new Quota(Resources.parse(g), Resources.parse(l));
  }

  static List<Violation> check(String role, Quota q, Map<String, Quota> configured) {
    return QuotaHierarchy.check(role, q, configured);
  }

  @Test
  void aChildIsGuaranteedOnlyWhatItsParentIs() {
    // No quota on the parent: it guarantees nothing, so neither can its children (as Mesos).
    assertThat(check("eng/web", guarantee("cpus:1"), Map.of()))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("quota.guarantee.millicpus");
              assertThat(v.message()).contains("role eng ").contains("(0)");
            });
    assertThat(check("eng/web", guarantee("cpus:1"), Map.of("eng", guarantee("cpus:1")))).isEmpty();
    // With the siblings' guarantees the parent's is exceeded; memory is fine.
    assertThat(
            check(
                "eng/web",
                guarantee("cpus:1;mem:64"),
                Map.of("eng", guarantee("cpus:2;mem:1024"), "eng/db", guarantee("cpus:1.5"))))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("quota.guarantee.millicpus");
              assertThat(v.message()).contains("2500").contains("eng/db (1500)");
            });
    // A top-level role has only the cluster above it.
    assertThat(check("eng", guarantee("cpus:1000"), Map.of())).isEmpty();
  }

  @Test
  void aParentCannotDropBelowWhatItsChildrenAreGuaranteed() {
    Map<String, Quota> tree =
        Map.of(
            "eng", guarantee("cpus:4;mem:1024"),
            "eng/web", guarantee("cpus:2"),
            "eng/db", guarantee("cpus:1;mem:1024"));
    assertThat(check("eng", guarantee("cpus:3;mem:1024"), tree)).isEmpty();
    assertThat(check("eng", guarantee("cpus:2;mem:512"), tree))
        .extracting(Violation::field)
        .containsExactly("quota.guarantee.millicpus", "quota.guarantee.memoryBytes");
    assertThat(check("eng", Quota.NONE, tree).get(0).message())
        .contains("eng/db (1000)")
        .contains("eng/web (2000)");
  }

  @Test
  void aLimitStaysUnderEveryLimitAboveIt() {
    Map<String, Quota> tree = Map.of("eng", limit("cpus:8;mem:4096"));
    assertThat(check("eng/web", limit("cpus:8"), tree)).isEmpty();
    assertThat(check("eng/web", limit("cpus:9"), tree))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("quota.limit.millicpus");
              assertThat(v.message()).contains("role eng ").contains("8000");
            });
    // Through a role without quota, to the grandparent.
    assertThat(check("eng/web/api", limit("mem:8192"), tree))
        .singleElement()
        .satisfies(v -> assertThat(v.field()).isEqualTo("quota.limit.memoryBytes"));
    // 0 means unlimited: a child that limits only what the parent does not, or nothing, is fine.
    assertThat(check("eng/web", limit("disk:100"), tree)).isEmpty();
    assertThat(check("eng/web", guarantee("cpus:0"), tree)).isEmpty();
  }

  @Test
  void anAncestorsLimitCannotDropBelowALimitUnderIt() {
    Map<String, Quota> tree =
        Map.of("eng", limit("cpus:8"), "eng/web/api", limit("cpus:6;mem:2048"));
    assertThat(check("eng", limit("cpus:6"), tree)).isEmpty();
    assertThat(check("eng", limit("cpus:5"), tree))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("quota.limit.millicpus");
              assertThat(v.message()).contains("eng/web/api (6000)");
            });
    // Limiting memory now, below the grandchild's memory limit.
    assertThat(check("eng", limit("cpus:8;mem:1024"), tree))
        .extracting(Violation::field)
        .containsExactly("quota.limit.memoryBytes");
  }

  @Test
  void onlyWhatTheRequestChangesIsChecked() {
    // Set before the rules existed: a child guaranteed more than its parent.
    Map<String, Quota> legacy =
        Map.of("eng", quota("cpus:1", "cpus:8"), "eng/web", guarantee("cpus:4"));
    // Changing only the parent's limit, or memory, is not blocked by the old cpu guarantees.
    assertThat(check("eng", quota("cpus:1", "cpus:6"), legacy)).isEmpty();
    assertThat(check("eng", quota("cpus:1;mem:64", "cpus:8"), legacy)).isEmpty();
    // Changing the cpu guarantee is, until it holds the child's.
    assertThat(check("eng", quota("cpus:2", "cpus:8"), legacy)).hasSize(1);
    assertThat(check("eng", quota("cpus:4", "cpus:8"), legacy)).isEmpty();
  }
}

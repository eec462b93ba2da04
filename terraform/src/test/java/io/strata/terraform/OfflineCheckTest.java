package io.strata.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline checks of the Terraform modules, run by {@code mvn verify} (providers cannot be
 * downloaded, so {@code terraform validate} cannot run): HCL syntax, references, variables,
 * outputs, versions, templatefile() calls against the shared templates and variables.json, and the
 * examples' plans by real Terraform (committed; re-planned, with {@code terraform fmt -check},
 * where a terraform binary is on the PATH). The check's own tests show every rule failing on a
 * defective fixture and the template renderer matching Terraform's output.
 */
class OfflineCheckTest {
  @BeforeAll
  static void install() {
    NodeCheck.ensureInstalled();
  }

  @Test
  void theCheckPassesItsOwnTestsIncludingNegativeFixtures() {
    NodeCheck.Run run = NodeCheck.run("node", "--test", "test/");
    assertThat(run.exitCode()).as("node --test failed:%n%s", run.output()).isZero();
    assertThat(run.output()).containsPattern("# pass [1-9][0-9]*").contains("# fail 0");
  }

  @Test
  void theModulesExamplesAndTemplatesPassEveryRule() {
    NodeCheck.Run run = NodeCheck.run("node", "src/cli.js", "check", "..");
    assertThat(run.exitCode()).as("terraform check failed:%n%s", run.output()).isZero();
    assertThat(run.output())
        .contains("ok   azure: templatefile() calls")
        .contains("ok   openstack: templatefile() calls")
        .contains("ok   azure/examples/hybrid: HCL syntax")
        .contains("ok   openstack/examples/hybrid: HCL syntax")
        .containsPattern(
            "ok   examples.*(plans as committed|committed plans by terraform are current)")
        .contains(", 0 failed");
  }
}

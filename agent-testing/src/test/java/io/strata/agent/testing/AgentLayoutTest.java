package io.strata.agent.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.strata.testkit.StrataArchitecture;
import org.junit.jupiter.api.Test;

/** The layout rules pass a well-formed platform and catch each way of breaking it. */
class AgentLayoutTest {
  static final String FIXTURES = "io.strata.agent.layoutfixture";
  static final JavaClasses CLASSES = new ClassFileImporter().importPackages(FIXTURES);

  @Test
  void aWellFormedPlatformPasses() {
    String base = FIXTURES + ".good";
    assertThatCode(() -> AgentLayout.layers(base, "sub").check(CLASSES)).doesNotThrowAnyException();
    assertThatCode(() -> AgentLayout.onlyTheLayoutsPackages(base, "sub").check(CLASSES))
        .doesNotThrowAnyException();
    assertThatCode(() -> StrataArchitecture.noPackageCycles(base).check(CLASSES))
        .doesNotThrowAnyException();
  }

  @Test
  void aLayerUsedFromBelowOrSidewaysFails() {
    assertThatThrownBy(() -> AgentLayout.layers(FIXTURES + ".bad").check(CLASSES))
        .hasMessageContaining("bad.container.Docker")
        .hasMessageContaining("bad.plan.Plan");
  }

  @Test
  void aPackageCycleFails() {
    assertThatThrownBy(() -> StrataArchitecture.noPackageCycles(FIXTURES + ".bad").check(CLASSES))
        .hasMessageContaining("Cycle detected");
  }

  @Test
  void aPackageOutsideTheLayoutFails() {
    assertThatThrownBy(() -> AgentLayout.onlyTheLayoutsPackages(FIXTURES + ".bad").check(CLASSES))
        .hasMessageContaining("bad.misc.Helper");
  }

  @Test
  void anEmptyLayerFailsInsteadOfPassing() {
    assertThatThrownBy(() -> AgentLayout.layers(FIXTURES + ".thin").check(CLASSES))
        .hasMessageContaining("empty");
  }
}

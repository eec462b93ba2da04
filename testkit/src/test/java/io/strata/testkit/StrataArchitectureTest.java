package io.strata.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** The shared rules never pass for want of classes: a module they miss fails them. */
class StrataArchitectureTest {
  static final JavaClasses NOTHING_OF_OURS =
      new ClassFileImporter().importPackages("io.strata.testkit.cyclefixture");

  @Test
  void aRuleWhosePackagesHoldNoClassFails() {
    assertThatThrownBy(() -> StrataArchitecture.API_IS_SELF_CONTAINED.check(NOTHING_OF_OURS))
        .hasMessageContaining("failed to check any classes");
    assertThatThrownBy(() -> StrataArchitecture.PURE_CORES_DO_NO_IO.check(NOTHING_OF_OURS))
        .hasMessageContaining("failed to check any classes");
    assertThatThrownBy(
            () -> StrataArchitecture.PURE_CORES_INJECT_TIME_AND_RANDOMNESS.check(NOTHING_OF_OURS))
        .hasMessageContaining("failed to check any classes");
  }
}

package io.strata.testkit;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** {@link StrataArchitecture#noPackageCycles} sees every package cycle and never passes empty. */
class NoPackageCyclesTest {
  static final String FIXTURES = "io.strata.testkit.cyclefixture";
  static final JavaClasses CLASSES = new ClassFileImporter().importPackages(FIXTURES);

  @Test
  void arrowsGoingDownPass() {
    assertThatCode(() -> StrataArchitecture.noPackageCycles(FIXTURES + ".acyclic").check(CLASSES))
        .doesNotThrowAnyException();
  }

  /** The cycle issue 18 found in cli (cli ↔ cli.commands): the base package is a slice too. */
  @Test
  void aCycleBetweenTheBasePackageAndASubpackageFails() {
    assertThatThrownBy(
            () -> StrataArchitecture.noPackageCycles(FIXTURES + ".rootcycle").check(CLASSES))
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("rootcycle.sub");
    // What the modules used before: one slice per direct subpackage, the base package left out.
    assertThatCode(
            () ->
                slices()
                    .matching(FIXTURES + ".rootcycle.(*)..")
                    .should()
                    .beFreeOfCycles()
                    .check(CLASSES))
        .doesNotThrowAnyException();
  }

  @Test
  void aCycleInsideOneSubtreeFails() {
    assertThatThrownBy(
            () -> StrataArchitecture.noPackageCycles(FIXTURES + ".deepcycle").check(CLASSES))
        .hasMessageContaining("Cycle detected")
        .hasMessageContaining("deepcycle.a.x");
  }

  /** A mistyped base package holds no class: the rule fails instead of passing. */
  @Test
  void aMistypedPackageFails() {
    assertThatThrownBy(
            () -> StrataArchitecture.noPackageCycles(FIXTURES + ".acylic").check(CLASSES))
        .hasMessageContaining("failed to check any classes");
  }
}

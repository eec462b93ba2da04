package io.strata.provisioner;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import io.strata.testkit.StrataArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The import rules of DESIGN.md that concern the provisioner. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.strata.provisioner");
  }

  @Test
  void provisionerDependsOnlyOnApi() {
    StrataArchitecture.PROVISIONER_DEPENDS_ONLY_ON_API.check(classes);
  }

  @Test
  void noPackageCycles() {
    StrataArchitecture.noPackageCycles("io.strata.provisioner").check(classes);
  }

  @Test
  void planningDoesNoIo() {
    StrataArchitecture.PURE_CORES_DO_NO_IO.check(classes);
  }

  @Test
  void planningInjectsTimeAndRandomness() {
    StrataArchitecture.PURE_CORES_INJECT_TIME_AND_RANDOMNESS.check(classes);
  }

  /**
   * A provider sees the SPI ({@code cloud}), the plan's values ({@code core}, {@code spec}) and its
   * own SDK; never the apply loop, the commands, the state file or the bootstrap renderer that
   * drive it.
   */
  @Test
  void providersDependOnTheSpiNotOnTheApply() {
    ArchRuleDefinition.noClasses()
        .that()
        .resideInAPackage("io.strata.provisioner.providers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.strata.provisioner.apply..",
            "io.strata.provisioner.command..",
            "io.strata.provisioner.state..",
            "io.strata.provisioner.bootstrap..")
        .check(classes);
  }

  /** Providers stand side by side: none uses another's classes. */
  @Test
  void providersAreIndependentOfEachOther() {
    SlicesRuleDefinition.slices()
        .matching("io.strata.provisioner.providers.(*)..")
        .should()
        .notDependOnEachOther()
        .check(classes);
  }
}

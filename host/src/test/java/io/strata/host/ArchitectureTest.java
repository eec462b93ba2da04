package io.strata.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * host sits below everything, beside api: it depends on nothing of ours. (testkit depends on host,
 * so this rule is written here rather than taken from testkit's StrataArchitecture.)
 */
class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.strata.host");

  @Test
  void hostDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.strata.host..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.strata.api..",
            "io.strata.allocator..",
            "io.strata.agent..",
            "io.strata.workloads..",
            "io.strata.provisioner..",
            "io.strata.cli..",
            "io.strata.testkit..")
        .because("every module may use host, so host uses none of them")
        .check(CLASSES);
  }
}

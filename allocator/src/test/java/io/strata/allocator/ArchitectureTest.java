package io.strata.allocator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

/** DESIGN.md's import rules for the allocator: only api below it; the core is pure. */
@AnalyzeClasses(
    packages = "io.strata.allocator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule allocatorDependsOnlyOnApi =
      StrataArchitecture.ALLOCATOR_DEPENDS_ONLY_ON_API;

  @ArchTest static final ArchRule coreDoesNoIo = StrataArchitecture.PURE_CORES_DO_NO_IO;

  /** The authorization model is pure: values and rules, no I/O, HTTP, state or clock. */
  @ArchTest
  static final ArchRule authorizationIsPure =
      classes()
          .that()
          .resideInAPackage("io.strata.allocator.authz..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.allocator.authz..",
              "io.strata.api",
              "io.strata.api.json",
              "com.fasterxml.jackson.annotation..",
              "java.lang..",
              "java.util",
              "java.util.stream");

  @ArchTest
  static final ArchRule coreInjectsTimeAndRandomness =
      StrataArchitecture.PURE_CORES_INJECT_TIME_AND_RANDOMNESS;
}

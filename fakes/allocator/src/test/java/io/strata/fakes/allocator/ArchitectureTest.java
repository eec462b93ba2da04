package io.strata.fakes.allocator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

/** A protocol fake speaks the api as defined there, and knows no implementation of it. */
@AnalyzeClasses(
    packages = "io.strata.fakes.allocator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      StrataArchitecture.noPackageCycles("io.strata.fakes.allocator");

  @ArchTest
  static final ArchRule onlyTheApi =
      noClasses()
          .that()
          .resideInAPackage("io.strata.fakes.allocator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              StrataArchitecture.ALLOCATOR,
              StrataArchitecture.AGENT,
              StrataArchitecture.WORKLOADS,
              StrataArchitecture.PROVISIONER,
              StrataArchitecture.CLI)
          .because("a fake that imported what it fakes would test nothing");
}

package io.strata.allocator.sim;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

/** The simulation drives the pure core only: no server, no state store, no HTTP. */
@AnalyzeClasses(
    packages = "io.strata.allocator.sim",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      StrataArchitecture.noPackageCycles("io.strata.allocator.sim");

  @ArchTest
  static final ArchRule drivesTheCoreOnly =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.sim..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.allocator.server..",
              "io.strata.allocator.state..",
              "io.strata.allocator.ha..",
              "java.net..",
              "java.io..")
          .because("a deterministic simulation is the core, a clock and data (STYLE.md)");
}

package io.strata.allocator.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Layers inside the allocator: core ← server → state; state knows neither HTTP nor the core. */
@AnalyzeClasses(
    packages = "io.strata.allocator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ServerArchitectureTest {
  @ArchTest
  static final ArchRule stateIsBelowTheServer =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.state..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.allocator.server..",
              "io.strata.allocator.core..",
              "io.javalin..",
              "org.eclipse.jetty..")
          .because("the state store is an SPI the server uses; it must not know HTTP or the core");

  @ArchTest
  static final ArchRule coreKnowsNeitherServerNorState =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.strata.allocator.server..", "io.strata.allocator.state..")
          .because("the core is a pure function of what the server tells it");
}

package io.strata.allocator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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

  /**
   * No package cycles anywhere in the allocator, each package a slice of its own (the server's
   * composition root and its subpackages included).
   */
  @ArchTest
  static final ArchRule noPackageCycles = StrataArchitecture.noPackageCycles("io.strata.allocator");

  /** The master (state and its transitions) knows neither HTTP nor credentials and TLS. */
  @ArchTest
  static final ArchRule masterKnowsNeitherHttpNorAuth =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.server.master..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.allocator.server.http..",
              "io.strata.allocator.server.auth..",
              "io.javalin..",
              "org.eclipse.jetty..");

  @ArchTest
  static final ArchRule authKnowsNoHttp =
      noClasses()
          .that()
          .resideInAPackage("io.strata.allocator.server.auth..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.strata.allocator.server.http..");

  /**
   * The server package is the composition root (AllocatorServer, AllocatorMain, the leader's term):
   * the packages below it never use it; what they share, the configuration, is {@code
   * server.config}.
   */
  @ArchTest
  static final ArchRule subpackagesNeverUseTheRoot =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.strata.allocator.server.master..",
              "io.strata.allocator.server.auth..",
              "io.strata.allocator.server.http..",
              "io.strata.allocator.server.dns..",
              "io.strata.allocator.server.config..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.strata.allocator.server");
}

package io.strata.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

@AnalyzeClasses(packages = "io.strata.agent", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule agentsDependOnlyOnApi = StrataArchitecture.AGENTS_DEPEND_ONLY_ON_API;

  /** No package cycles (status and tasks were one: DurableFiles now lives in state). */
  @ArchTest
  static final ArchRule noPackageCycles = StrataArchitecture.noPackageCycles("io.strata.agent");

  /** agent-core is OS-neutral: no platform code, no JNA. */
  @ArchTest
  static final ArchRule coreIsPlatformNeutral =
      noClasses()
          .that()
          .resideInAPackage("io.strata.agent..")
          .and()
          .resideOutsideOfPackages("io.strata.agent.linux..", "io.strata.agent.windows..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.agent.linux..", "io.strata.agent.windows..", "com.sun.jna..")
          .because("platforms split by module behind the Containerizer SPI");

  /** The agent's decision rules (io.strata.agent.core) are pure. */
  @ArchTest
  static final ArchRule rulesDoNoIo =
      noClasses()
          .that()
          .resideInAPackage("io.strata.agent.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.io..",
              "java.nio..",
              "java.net..",
              "java.util.concurrent..",
              "com.fasterxml.jackson..")
          .because("decision logic is a pure function of its inputs (STYLE.md)");
}

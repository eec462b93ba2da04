package io.strata.agent.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

/** The kits know agent-core and api only: every platform passes the same ones. */
@AnalyzeClasses(
    packages = "io.strata.agent.testing",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule agentsDependOnlyOnApi = StrataArchitecture.AGENTS_DEPEND_ONLY_ON_API;

  @ArchTest
  static final ArchRule noPackageCycles =
      StrataArchitecture.noPackageCycles("io.strata.agent.testing");

  @ArchTest
  static final ArchRule noPlatformCode =
      noClasses()
          .that()
          .resideInAPackage("io.strata.agent.testing..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              StrataArchitecture.AGENT_LINUX, StrataArchitecture.AGENT_WINDOWS, "com.sun.jna..")
          .because("a kit every platform passes knows none of them");
}

package io.strata.agent.windows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.strata.testkit.StrataArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.strata.agent.windows");

  @Test
  void agentsDependOnlyOnApiAndAgentCore() {
    StrataArchitecture.AGENTS_DEPEND_ONLY_ON_API.check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage(StrataArchitecture.AGENT_WINDOWS)
        .should()
        .dependOnClassesThat()
        .resideInAPackage(StrataArchitecture.AGENT_LINUX)
        .because("platforms split by module")
        .check(CLASSES);
  }

  /** The launch and container policies are pure: no native calls, no I/O, no clock. */
  @Test
  void policiesArePure() {
    noClasses()
        .that()
        .resideInAPackage("io.strata.agent.windows.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.sun.jna..",
            "com.github.dockerjava..",
            "java.io..",
            "java.nio..",
            "java.net..",
            "java.time..",
            "org.slf4j..",
            "io.strata.agent.windows.jna..",
            "io.strata.agent.windows.job..")
        .because("policy is separate from mechanism (STYLE.md)")
        .check(CLASSES);
  }

  /** --check and --dry-run read the config on any OS: it needs nothing native. */
  @Test
  void theConfigNeedsNothingNative() {
    noClasses()
        .that()
        .resideInAPackage("io.strata.agent.windows.config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.sun.jna..",
            "io.strata.agent.windows.jna..",
            "io.strata.agent.windows.job..",
            "io.strata.agent.windows.service..")
        .check(CLASSES);
  }

  /** Native calls go through the one mockable interface. */
  @Test
  void onlyTheJnaPackageLoadsNativeLibraries() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.strata.agent.windows.jna..")
        .should()
        .callMethod(
            com.sun.jna.Native.class, "load", String.class, Class.class, java.util.Map.class)
        .check(CLASSES);
  }
}

package io.strata.agent.windows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.strata.agent.testing.AgentLayout;
import io.strata.testkit.StrataArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.strata.agent.windows");

  static final String BASE = "io.strata.agent.windows";

  /** What only Windows has: the Service Control Manager. */
  static final String[] SUBSYSTEMS = {"service"};

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

  @Test
  void theAgentLayout() {
    AgentLayout.layers(BASE, SUBSYSTEMS).check(CLASSES);
    AgentLayout.onlyTheLayoutsPackages(BASE, SUBSYSTEMS).check(CLASSES);
    StrataArchitecture.noPackageCycles(BASE).check(CLASSES);
    AgentLayout.onlyJnaLoadsNativeLibraries(BASE).check(CLASSES);
  }

  /** The launch and container policies are pure: no native calls, no I/O, no clock. */
  @Test
  void policiesArePure() {
    noClasses()
        .that()
        .resideInAPackage("io.strata.agent.windows.plan..")
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
            "io.strata.agent.windows.exec..",
            "io.strata.agent.windows.container..")
        .because("policy is separate from mechanism (STYLE.md)")
        .check(CLASSES);
  }

  /** --check and --dry-run read the config on any OS: it needs nothing native. */
  @Test
  void theConfigNeedsNothingNative() {
    noClasses()
        .that()
        .haveFullyQualifiedName(BASE + ".WindowsAgentConfig")
        .or()
        .haveFullyQualifiedName(BASE + ".ConfigFile")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "com.sun.jna..",
            "io.strata.agent.windows.jna..",
            "io.strata.agent.windows.exec..",
            "io.strata.agent.windows.service..")
        .check(CLASSES);
  }
}

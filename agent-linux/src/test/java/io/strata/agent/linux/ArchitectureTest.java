package io.strata.agent.linux;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

@AnalyzeClasses(
    packages = "io.strata.agent.linux",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchRule agentsDependOnlyOnApi = StrataArchitecture.AGENTS_DEPEND_ONLY_ON_API;

  @ArchTest static final ArchRule platformsAreSeparate = StrataArchitecture.PLATFORMS_ARE_SEPARATE;

  /** The isolation policy decides; only the executor and the containerizers touch the host. */
  @ArchTest
  static final ArchRule policyDoesNoIo =
      noClasses()
          .that()
          .haveFullyQualifiedName("io.strata.agent.linux.cgroups.CgroupIsolator")
          .or()
          .haveFullyQualifiedName("io.strata.agent.linux.docker.DockerRun")
          .or()
          .haveFullyQualifiedName("io.strata.agent.linux.cgroups.HostOp")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.io..",
              "java.net..",
              "com.sun.jna..",
              "com.github.dockerjava..",
              "io.strata.agent.linux.libc..")
          .orShould()
          .callMethod(
              java.nio.file.Files.class,
              "exists",
              java.nio.file.Path.class,
              java.nio.file.LinkOption[].class)
          .because("policy is separate from mechanism: a task becomes host operations as data");
}

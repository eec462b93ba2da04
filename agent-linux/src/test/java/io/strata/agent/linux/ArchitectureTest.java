package io.strata.agent.linux;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.agent.testing.AgentLayout;
import io.strata.testkit.StrataArchitecture;

@AnalyzeClasses(
    packages = "io.strata.agent.linux",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  static final String BASE = "io.strata.agent.linux";

  /** What only Linux has: the cgroup file system, the task users, the sandbox files. */
  static final String[] SUBSYSTEMS = {"cgroups", "users", "files"};

  @ArchTest
  static final ArchRule agentsDependOnlyOnApi = StrataArchitecture.AGENTS_DEPEND_ONLY_ON_API;

  @ArchTest static final ArchRule platformsAreSeparate = StrataArchitecture.PLATFORMS_ARE_SEPARATE;

  @ArchTest static final ArchRule layers = AgentLayout.layers(BASE, SUBSYSTEMS);

  @ArchTest
  static final ArchRule onlyTheLayoutsPackages =
      AgentLayout.onlyTheLayoutsPackages(BASE, SUBSYSTEMS);

  @ArchTest static final ArchRule noPackageCycles = StrataArchitecture.noPackageCycles(BASE);

  @ArchTest
  static final ArchRule onlyJnaLoadsNativeLibraries = AgentLayout.onlyJnaLoadsNativeLibraries(BASE);

  /** The plan decides; only the executor and the containerizers touch the host. */
  @ArchTest
  static final ArchRule planDoesNoIo =
      noClasses()
          .that()
          .resideInAPackage(BASE + ".plan..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.io..",
              "java.net..",
              "com.sun.jna..",
              "com.github.dockerjava..",
              BASE + ".jna..",
              BASE + ".exec..",
              BASE + ".container..")
          .orShould()
          .callMethodWhere(
              new DescribedPredicate<JavaMethodCall>("a method of java.nio.file.Files") {
                @Override
                public boolean test(JavaMethodCall call) {
                  return call.getTargetOwner().getName().equals("java.nio.file.Files");
                }
              })
          .because("policy is separate from mechanism: a task becomes host operations as data");
}

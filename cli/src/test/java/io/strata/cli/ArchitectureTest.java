package io.strata.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

/**
 * The CLI's packages, arrows down only (README): the root ({@code Main}, {@code StrataCommand}, the
 * provisioner's mount) assembles the commands; commands use the client, the in-process cluster and
 * the output; the client and the in-process cluster use the output; the output uses nothing of the
 * CLI.
 */
@AnalyzeClasses(packages = "io.strata.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  static final String BASE = "io.strata.cli";

  @ArchTest static final ArchRule noPackageCycles = StrataArchitecture.noPackageCycles(BASE);

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("main")
          .definedBy(BASE)
          .layer("commands")
          .definedBy(BASE + ".commands..")
          .layer("inprocess")
          .definedBy(BASE + ".inprocess..")
          .layer("client")
          .definedBy(BASE + ".client..")
          .layer("output")
          .definedBy(BASE + ".output..")
          .whereLayer("main")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("commands")
          .mayOnlyBeAccessedByLayers("main")
          .whereLayer("inprocess")
          .mayOnlyBeAccessedByLayers("main", "commands")
          .whereLayer("client")
          .mayOnlyBeAccessedByLayers("main", "commands")
          .whereLayer("output")
          .mayOnlyBeAccessedByLayers("main", "commands", "inprocess", "client")
          .because("commands use the client, never the reverse (issue 18)");

  /** No package of the CLI outside the layers: a new one is a decision for the README. */
  @ArchTest
  static final ArchRule onlyTheLayersPackages =
      classes()
          .that()
          .resideInAPackage(BASE + "..")
          .should()
          .resideInAnyPackage(
              BASE,
              BASE + ".commands..",
              BASE + ".inprocess..",
              BASE + ".client..",
              BASE + ".output..");

  /**
   * The client and the output reach an allocator and its agents only over the api, as any client
   * does: no allocator or agent class (the workloads' views and specs are the built-in frameworks'
   * API types and may be used).
   */
  @ArchTest
  static final ArchRule theClientReachesServersOnlyOverTheApi =
      noClasses()
          .that()
          .resideInAnyPackage(BASE + ".client..", BASE + ".output..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(StrataArchitecture.ALLOCATOR, StrataArchitecture.AGENT)
          .because("a cluster is reached through the api, like any client");
}

package io.strata.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.strata.testkit.StrataArchitecture;

/**
 * The benchmarks (README): the allocator's at the root with the shared {@code Harness}; the agent,
 * workloads and provisioner harnesses each in its package, independent of one another.
 */
@AnalyzeClasses(
    packages = "io.strata.benchmarks",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  static final String BASE = "io.strata.benchmarks";

  @ArchTest static final ArchRule noPackageCycles = StrataArchitecture.noPackageCycles(BASE);

  @ArchTest
  static final ArchRule areasAreIndependent =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("allocator and harness")
          .definedBy(BASE)
          .layer("agent")
          .definedBy(BASE + ".agent..")
          .layer("workloads")
          .definedBy(BASE + ".workloads..")
          .layer("provisioner")
          .definedBy(BASE + ".provisioner..")
          .whereLayer("agent")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("workloads")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("provisioner")
          .mayNotBeAccessedByAnyLayer()
          .because("each benchmark area measures one module and shares only the Harness");

  /** The allocator's benchmarks drive the pure core (and its simulation) and nothing else. */
  @ArchTest
  static final ArchRule allocatorBenchmarksDriveTheCore =
      classes()
          .that()
          .resideInAPackage(BASE)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              BASE + "..",
              "io.strata.allocator.core..",
              "io.strata.allocator.sim..",
              "io.strata.testkit", // the simulation's MutableClock
              "io.strata.api..",
              "org.openjdk.jmh..",
              "java..")
          .because("a core benchmark measures the core, not HTTP or the journal");

  /**
   * Benchmarks reach the system through what users and agents reach: never the CLI's commands or
   * client, never a platform agent's internals beyond its main and config.
   */
  @ArchTest
  static final ArchRule benchmarksUseEntryPoints =
      noClasses()
          .that()
          .resideInAPackage(BASE + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.strata.cli.commands..", "io.strata.cli.client..", "io.strata.cli.output..")
          .because("benchmarks measure the system, not the command line's wiring");
}

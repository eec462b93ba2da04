package io.strata.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The import rules of DESIGN.md as ArchUnit rules. Arrows point down only: cli → provisioner,
 * workloads, allocator, agents → api. Pure cores do no I/O, read no clock and draw no unseeded
 * randomness. No package cycles. Each module's {@code ArchitectureTest} applies the rules that
 * concern it. No rule allows an empty should: a rule whose packages hold no class (a mistyped or
 * renamed package) fails instead of passing.
 */
public final class StrataArchitecture {
  public static final String API = "io.strata.api..";
  public static final String ALLOCATOR = "io.strata.allocator..";
  public static final String AGENT = "io.strata.agent..";
  public static final String AGENT_LINUX = "io.strata.agent.linux..";
  public static final String AGENT_WINDOWS = "io.strata.agent.windows..";
  public static final String WORKLOADS = "io.strata.workloads..";
  public static final String PROVISIONER = "io.strata.provisioner..";
  public static final String CLI = "io.strata.cli..";

  /** Packages holding pure decision logic: state in, decisions out as data. */
  public static final String[] PURE_CORES = {
    "io.strata.allocator.core..", "io.strata.workloads.core..", "io.strata.provisioner.core.."
  };

  private StrataArchitecture() {}

  /** api depends on nothing of ours. */
  public static final ArchRule API_IS_SELF_CONTAINED =
      noClasses()
          .that()
          .resideInAPackage(API)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ALLOCATOR, AGENT, WORKLOADS, PROVISIONER, CLI)
          .because("api is the contract every other module depends on");

  /** The allocator never imports an agent, the provisioner, the workloads or the CLI. */
  public static final ArchRule ALLOCATOR_DEPENDS_ONLY_ON_API =
      noClasses()
          .that()
          .resideInAPackage(ALLOCATOR)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(AGENT, WORKLOADS, PROVISIONER, CLI)
          .because("the allocator and the agents share only api");

  /** An agent never imports the allocator (nor anything above it). */
  public static final ArchRule AGENTS_DEPEND_ONLY_ON_API =
      noClasses()
          .that()
          .resideInAPackage(AGENT)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ALLOCATOR, WORKLOADS, PROVISIONER, CLI)
          .because("the allocator and the agents share only api");

  /** Platforms split by module: Linux code never touches Windows code and vice versa. */
  public static final ArchRule PLATFORMS_ARE_SEPARATE =
      noClasses()
          .that()
          .resideInAPackage(AGENT_LINUX)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(AGENT_WINDOWS)
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("com.sun.jna.platform.win32..")
          .because("platforms split by module, never by if (os == ...)");

  /** Built-in frameworks speak the scheduler API like any third-party framework. */
  public static final ArchRule WORKLOADS_DEPEND_ONLY_ON_API =
      noClasses()
          .that()
          .resideInAPackage(WORKLOADS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ALLOCATOR, AGENT, PROVISIONER, CLI)
          .because("frameworks use the scheduler API, not allocator internals");

  /** The provisioner sits below the CLI and beside the rest. */
  public static final ArchRule PROVISIONER_DEPENDS_ONLY_ON_API =
      noClasses()
          .that()
          .resideInAPackage(PROVISIONER)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ALLOCATOR, AGENT, WORKLOADS, CLI)
          .because("arrows point down only");

  /** Pure cores import no I/O, locks, HTTP or JSON. */
  public static final ArchRule PURE_CORES_DO_NO_IO =
      noClasses()
          .that()
          .resideInAnyPackage(PURE_CORES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.io..",
              "java.nio..",
              "java.net..",
              "java.sql..",
              "java.util.concurrent.locks..",
              "java.util.logging..",
              "org.slf4j..",
              "com.fasterxml.jackson..",
              "io.javalin..",
              "org.eclipse.jetty..")
          .because("decision logic is a pure function of a snapshot (STYLE.md)");

  /** Pure cores read no clock, sleep never, and draw randomness only from an injected seed. */
  public static final ArchRule PURE_CORES_INJECT_TIME_AND_RANDOMNESS =
      noClasses()
          .that()
          .resideInAnyPackage(PURE_CORES)
          .should()
          .callMethodWhere(impureCall())
          .orShould()
          .callConstructor(java.util.Random.class)
          .orShould()
          .callConstructor(java.util.Random.class, long.class)
          .because("time and randomness are injected (STYLE.md)");

  /**
   * No cycle between the packages of {@code base} (its own package and every package below it, each
   * one a slice of its own): a package cycle makes two packages one. Unlike {@code
   * slices().matching(base + ".(*)..")}, which groups each direct subpackage with everything below
   * it and leaves {@code base} itself out, this sees a cycle between {@code base} and a subpackage
   * ({@code cli} and {@code cli.commands}) and one between two packages of the same subtree.
   */
  public static ArchRule noPackageCycles(String base) {
    return slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String p = javaClass.getPackageName();
                return p.equals(base) || p.startsWith(base + ".")
                    ? SliceIdentifier.of(p)
                    : SliceIdentifier.ignore();
              }

              @Override
              public String getDescription() {
                return "the packages of " + base;
              }
            })
        .should()
        .beFreeOfCycles()
        .because("a package cycle makes two packages one (issue 18)");
  }

  private static DescribedPredicate<JavaCall<?>> impureCall() {
    return new DescribedPredicate<>("a clock, sleep or unseeded randomness") {
      @Override
      public boolean test(JavaCall<?> call) {
        JavaClass owner = call.getTargetOwner();
        String name = call.getName();
        return switch (owner.getName()) {
          case "java.lang.System" -> name.equals("currentTimeMillis") || name.equals("nanoTime");
          case "java.lang.Thread" -> name.equals("sleep");
          case "java.lang.Math", "java.lang.StrictMath" -> name.equals("random");
          case "java.util.concurrent.ThreadLocalRandom" -> name.equals("current");
          case "java.time.Clock" -> name.startsWith("system");
          case "java.time.Instant",
              "java.time.LocalDateTime",
              "java.time.LocalDate",
              "java.time.ZonedDateTime",
              "java.time.OffsetDateTime" ->
              name.equals("now");
          case "java.util.UUID" -> name.equals("randomUUID");
          default -> false;
        };
      }
    };
  }
}

package io.strata.agent.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import java.util.ArrayList;
import java.util.List;

/**
 * The one layout of a platform agent (docs/agents.md), as rules each platform's {@code
 * ArchitectureTest} applies to its own base package:
 *
 * <pre>
 * BASE            main: the entry point, the config, the assembly of an Agent   (nothing imports it)
 * BASE.container  the platform's Docker containerizer on agent-core's docker engine
 * BASE.exec       the executor: performs the plan's operations, supervises, recovers
 * BASE.plan       pure policy: a task becomes operations as data
 * BASE.jna        the native bindings, the only place a native library is loaded
 * BASE.X          a subsystem only this platform has (Linux cgroups, users, files; the Windows
 *                 service), which container, exec and main may use
 * </pre>
 *
 * Every layer must hold classes: a mistyped package fails instead of passing empty.
 */
public final class AgentLayout {
  private AgentLayout() {}

  /** The layers of {@code base} and who may use them. */
  public static ArchRule layers(String base, String... subsystems) {
    List<String> packages = new ArrayList<>();
    for (String s : subsystems) {
      packages.add(base + "." + s + "..");
    }
    Architectures.LayeredArchitecture layers =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("main")
            .definedBy(base)
            .layer("container")
            .definedBy(base + ".container..")
            .layer("exec")
            .definedBy(base + ".exec..")
            .layer("plan")
            .definedBy(base + ".plan..")
            .layer("jna")
            .definedBy(base + ".jna..");
    List<String> usersOfJna = new ArrayList<>(List.of("main", "container", "exec"));
    if (!packages.isEmpty()) {
      layers = layers.layer("subsystems").definedBy(packages.toArray(String[]::new));
      usersOfJna.add("subsystems");
    }
    return layers
        .whereLayer("main")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("container")
        .mayOnlyBeAccessedByLayers("main")
        .whereLayer("exec")
        .mayOnlyBeAccessedByLayers("main")
        .whereLayer("plan")
        .mayOnlyBeAccessedByLayers("main", "container", "exec")
        .whereLayer("jna")
        .mayOnlyBeAccessedByLayers(usersOfJna.toArray(String[]::new))
        .because("both platforms have the one agent layout (docs/agents.md)");
  }

  /** No package of {@code base} other than the layout's. */
  public static ArchRule onlyTheLayoutsPackages(String base, String... subsystems) {
    List<String> packages =
        new ArrayList<>(
            List.of(
                base, base + ".container..", base + ".exec..", base + ".plan..", base + ".jna.."));
    for (String s : subsystems) {
      packages.add(base + "." + s + "..");
    }
    return classes()
        .that()
        .resideInAPackage(base + "..")
        .should()
        .resideInAnyPackage(packages.toArray(String[]::new))
        .because("a new package is a decision for docs/agents.md, not an accident");
  }

  /** Only {@code base.jna} loads native libraries. */
  public static ArchRule onlyJnaLoadsNativeLibraries(String base) {
    return noClasses()
        .that()
        .resideInAPackage(base + "..")
        .and()
        .resideOutsideOfPackage(base + ".jna..")
        .should()
        .callMethodWhere(
            new DescribedPredicate<JavaMethodCall>("Native.load or NativeLibrary.getInstance") {
              @Override
              public boolean test(JavaMethodCall call) {
                String owner = call.getTargetOwner().getName();
                return (owner.equals("com.sun.jna.Native") && call.getName().equals("load"))
                    || (owner.equals("com.sun.jna.NativeLibrary")
                        && call.getName().equals("getInstance"));
              }
            })
        .because("native calls go through the platform's bindings");
  }
}

package io.strata.agent.linux.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where the cgroup controllers of this machine live, detected once at start from {@code
 * /proc/self/mountinfo}.
 *
 * <ul>
 *   <li>{@link Mode#V2}: the unified hierarchy holds the controllers (the common case today).
 *   <li>{@link Mode#V1}: one hierarchy per controller ({@code /sys/fs/cgroup/memory}...).
 *   <li>{@link Mode#HYBRID}: limits in v1 hierarchies, and the (controller-less) unified hierarchy
 *       for process tracking: placement, {@code cgroup.events}, {@code cgroup.kill} — systemd's
 *       "hybrid" layout.
 * </ul>
 *
 * @param v1 controller name to the mount point of the v1 hierarchy holding it
 * @param unified the cgroup2 mount point, if any
 * @param unifiedControllers the controllers available in the cgroup2 root ({@code
 *     cgroup.controllers})
 */
public record CgroupLayout(
    Mode mode, Map<String, Path> v1, Path unified, Set<String> unifiedControllers) {

  /** See the class comment. */
  public enum Mode {
    V1,
    V2,
    HYBRID
  }

  /** What the operator asks for; AUTO picks V2 if it has the controllers, else V1 (+ hybrid). */
  public enum Preference {
    AUTO,
    V1,
    V2;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Accepts auto, v1, v2 in any case. */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Preference parse(String text) {
      for (Preference p : values()) {
        if (p.name().equalsIgnoreCase(text)) {
          return p;
        }
      }
      throw new IllegalArgumentException("must be one of [auto, v1, v2] (was '" + text + "')");
    }
  }

  /** The v1 controllers the agent uses; cpuacct may be co-mounted with cpu. */
  public static final List<String> V1_CONTROLLERS =
      List.of("cpu", "cpuacct", "memory", "pids", "freezer");

  /** The v2 controllers the agent enables for its tasks. */
  public static final List<String> V2_CONTROLLERS = List.of("cpu", "memory", "pids");

  public CgroupLayout {
    v1 = v1 == null ? Map.of() : Map.copyOf(v1);
    unifiedControllers = unifiedControllers == null ? Set.of() : Set.copyOf(unifiedControllers);
    if (mode != Mode.V1 && unified == null) {
      throw new IllegalArgumentException(mode + " needs a cgroup2 mount");
    }
  }

  /** A mount of a cgroup file system, as mountinfo lists it. */
  public record Mount(Path mountPoint, String type, Set<String> options) {}

  /** Reads the layout of this machine. */
  public static CgroupLayout detect(Preference preference) throws IOException {
    List<Mount> mounts = parseMountInfo(Files.readString(Path.of("/proc/self/mountinfo")));
    Set<String> unifiedControllers = new TreeSet<>();
    for (Mount m : mounts) {
      if (m.type().equals("cgroup2")) {
        Path controllers = m.mountPoint().resolve("cgroup.controllers");
        if (Files.exists(controllers)) {
          String text = Files.readString(controllers).trim();
          if (!text.isEmpty()) {
            unifiedControllers.addAll(Arrays.asList(text.split("\\s+")));
          }
        }
      }
    }
    return choose(mounts, unifiedControllers, preference);
  }

  /** Picks the layout from the mounts; pure, for tests. */
  public static CgroupLayout choose(
      List<Mount> mounts, Set<String> unifiedControllers, Preference preference) {
    Map<String, Path> v1 = new TreeMap<>();
    Path unified = null;
    for (Mount m : mounts) {
      if (m.type().equals("cgroup2")) {
        if (unified == null || m.mountPoint().getNameCount() < unified.getNameCount()) {
          unified = m.mountPoint();
        }
      } else if (m.type().equals("cgroup")) {
        for (String controller : V1_CONTROLLERS) {
          if (m.options().contains(controller)) {
            v1.putIfAbsent(controller, m.mountPoint());
          }
        }
      }
    }
    boolean v1Complete =
        v1.containsKey("cpu")
            && v1.containsKey("memory")
            && v1.containsKey("pids")
            && v1.containsKey("freezer");
    boolean v2Complete = unified != null && unifiedControllers.containsAll(V2_CONTROLLERS);
    return switch (preference) {
      case V2 -> {
        if (unified == null) {
          throw new IllegalStateException("cgroups: v2 was asked for but no cgroup2 is mounted");
        }
        yield new CgroupLayout(Mode.V2, Map.of(), unified, unifiedControllers);
      }
      case V1 -> {
        if (!v1Complete) {
          throw new IllegalStateException(
              "cgroups: v1 was asked for but the cpu, memory, pids and freezer hierarchies are"
                  + " not all mounted (found "
                  + v1.keySet()
                  + ")");
        }
        yield new CgroupLayout(
            unified == null ? Mode.V1 : Mode.HYBRID, v1, unified, unifiedControllers);
      }
      case AUTO -> {
        if (v2Complete) {
          yield new CgroupLayout(Mode.V2, Map.of(), unified, unifiedControllers);
        }
        if (v1Complete) {
          yield new CgroupLayout(
              unified == null ? Mode.V1 : Mode.HYBRID, v1, unified, unifiedControllers);
        }
        throw new IllegalStateException(
            "cgroups: found neither a cgroup2 hierarchy with the cpu, memory and pids controllers"
                + " nor v1 cpu, memory, pids and freezer hierarchies");
      }
    };
  }

  /** Parses /proc/self/mountinfo, keeping cgroup and cgroup2 mounts. */
  public static List<Mount> parseMountInfo(String text) {
    List<Mount> out = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] left = line.substring(0, dash).split(" ");
      String[] right = line.substring(dash + 3).split(" ");
      if (left.length < 5 || right.length < 3) {
        continue;
      }
      String type = right[0];
      if (!type.equals("cgroup") && !type.equals("cgroup2")) {
        continue;
      }
      Set<String> options = new HashSet<>(Arrays.asList(right[2].split(",")));
      out.add(new Mount(Path.of(unescape(left[4])), type, options));
    }
    return out;
  }

  private static String unescape(String path) {
    return path.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n");
  }

  /** The hierarchy that holds {@code controller}, if this layout has it. */
  public Optional<Path> hierarchyOf(String controller) {
    if (mode == Mode.V2) {
      return unifiedControllers.contains(controller) ? Optional.of(unified) : Optional.empty();
    }
    return Optional.ofNullable(v1.get(controller));
  }

  /**
   * The distinct hierarchies a task joins, in a stable order: each v1 hierarchy once (co-mounted
   * controllers share one), then the unified one.
   */
  public List<Path> hierarchies() {
    Map<Path, Boolean> ordered = new LinkedHashMap<>();
    if (mode != Mode.V2) {
      for (String controller : V1_CONTROLLERS) {
        Path p = v1.get(controller);
        if (p != null) {
          ordered.put(p, true);
        }
      }
    }
    if (unified != null && mode != Mode.V1) {
      ordered.put(unified, true);
    }
    return List.copyOf(ordered.keySet());
  }

  /**
   * The hierarchy that tells whether a task still has processes and kills them all: the unified one
   * when there is one (cgroup.events, cgroup.kill), else the v1 freezer.
   */
  public Path tracking() {
    return mode == Mode.V1 ? v1.get("freezer") : unified;
  }

  /** Capability names for AgentInfo. */
  public Set<String> capabilities() {
    return switch (mode) {
      case V1 -> Set.of(io.strata.api.Capabilities.CGROUPS_V1);
      case V2 -> Set.of(io.strata.api.Capabilities.CGROUPS_V2);
      case HYBRID ->
          Set.of(io.strata.api.Capabilities.CGROUPS_V1, io.strata.api.Capabilities.CGROUPS_V2);
    };
  }
}

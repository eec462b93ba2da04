package io.strata.provisioner.providers.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes a local cluster's cgroups: under every mounted hierarchy (each cgroup v1 controller and
 * the v2 tree), the subtree named {@code root} — its processes killed first, then its directories
 * removed deepest first. Nothing is left for a later cluster to trip over.
 */
final class Cgroups {
  private static final Path MOUNT = Path.of("/sys/fs/cgroup");

  private Cgroups() {}

  /** Every existing directory {@code <hierarchy>/<root>}. */
  static List<Path> find(String root) {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(MOUNT)) {
      return out;
    }
    Path direct = MOUNT.resolve(root);
    if (Files.isDirectory(direct) && Files.exists(direct.resolve("cgroup.procs"))) {
      out.add(direct); // a pure cgroup v2 mount
    }
    try (DirectoryStream<Path> hierarchies = Files.newDirectoryStream(MOUNT)) {
      for (Path h : hierarchies) {
        Path candidate = h.resolve(root);
        if (Files.isDirectory(candidate) && !Files.isSymbolicLink(h) && !candidate.equals(direct)) {
          out.add(candidate);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + MOUNT, e);
    }
    return out;
  }

  /** What {@link #remove} did: processes killed, directories it could not remove. */
  record Removal(int killed, List<Path> left) {}

  /**
   * Kills every process in the subtrees (never this process or its ancestors: they stay, and the
   * directory holding one is left) and removes them.
   */
  static Removal remove(String root) {
    List<Path> left = new ArrayList<>();
    Set<Long> spared = Processes.selfAndAncestors();
    Set<Long> killed = new HashSet<>();
    for (Path top : find(root)) {
      for (int attempt = 0; attempt < 50; attempt++) {
        List<Path> dirs = tree(top);
        for (Path d : dirs) {
          killProcs(d, spared, killed);
        }
        boolean all = true;
        for (int i = dirs.size() - 1; i >= 0; i--) {
          try {
            Files.deleteIfExists(dirs.get(i));
          } catch (IOException e) {
            all = false; // busy: processes still exiting; try again
          }
        }
        if (all) {
          break;
        }
        sleep(100);
      }
      if (Files.exists(top)) {
        left.add(top);
      }
    }
    return new Removal(killed.size(), left);
  }

  /** The directory and every cgroup below it, parents before children. */
  private static List<Path> tree(Path top) {
    if (!Files.isDirectory(top)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(top)) {
      return walk.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return List.of(top);
    }
  }

  private static void killProcs(Path cgroup, Set<Long> spared, Set<Long> killed) {
    Path procs = cgroup.resolve("cgroup.procs");
    if (!Files.exists(procs)) {
      return;
    }
    try {
      thaw(cgroup);
      for (String line : Files.readAllLines(procs, StandardCharsets.UTF_8)) {
        long pid = line.isBlank() ? -1 : Long.parseLong(line.trim());
        if (pid > 1 && !spared.contains(pid)) {
          ProcessHandle.of(pid)
              .ifPresent(
                  h -> {
                    if (h.destroyForcibly()) {
                      killed.add(pid);
                    }
                  });
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The cgroup is going away under us; the next attempt looks again.
    }
  }

  /** A frozen cgroup's processes cannot die; thaw it first (v1 freezer and v2 cgroup.freeze). */
  private static void thaw(Path cgroup) throws IOException {
    Path v1 = cgroup.resolve("freezer.state");
    if (Files.exists(v1)) {
      Files.writeString(v1, "THAWED");
    }
    Path v2 = cgroup.resolve("cgroup.freeze");
    if (Files.exists(v2)) {
      Files.writeString(v2, "0");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.strata.agent.linux;

import io.strata.agent.linux.cgroups.CgroupLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes a test's parent cgroups (and any task cgroup a failed test left) after it. */
public final class CgroupTestSupport {
  private CgroupTestSupport() {}

  /** Kills whatever a test left in the agent's cgroups, then removes them. */
  public static void killAndRemove(CgroupLayout layout, String parent)
      throws IOException, InterruptedException {
    for (int round = 0; round < 50; round++) {
      boolean any = false;
      for (Path hierarchy : layout.hierarchies()) {
        Path dir = hierarchy.resolve(parent);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path procs :
              walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
            for (long pid : io.strata.agent.linux.cgroups.CgroupStats.processes(procs)) {
              any = true;
              io.strata.agent.linux.jna.Posix.signal(pid, 9);
            }
          }
        }
      }
      if (!any) {
        break;
      }
      Thread.sleep(20);
    }
    removeParents(layout, parent);
  }

  public static void removeParents(CgroupLayout layout, String parent) throws IOException {
    for (Path hierarchy : layout.hierarchies()) {
      Path dir = hierarchy.resolve(parent);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<Path> dirs;
      try (Stream<Path> walk = Files.walk(dir)) {
        dirs = walk.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
      }
      for (Path d : dirs) {
        Files.deleteIfExists(d);
      }
    }
  }
}

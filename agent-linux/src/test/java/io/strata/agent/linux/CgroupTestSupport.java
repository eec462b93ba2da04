package io.strata.agent.linux;

import io.strata.agent.linux.cgroups.CgroupLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removes a test's parent cgroups (and any task cgroup a failed test left) after it. */
final class CgroupTestSupport {
  private CgroupTestSupport() {}

  static void removeParents(CgroupLayout layout, String parent) throws IOException {
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

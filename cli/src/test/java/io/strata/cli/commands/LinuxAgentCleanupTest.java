package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.provisioner.providers.local.AgentCleanup;
import io.strata.testkit.RequiresCgroupV1;
import io.strata.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code strata down}'s cleanup is the Linux agent's own: tasks left in a local cluster's cgroups
 * (the cluster's root, one parent per agent, one cgroup per task in every hierarchy, as agents make
 * them) are killed and every cgroup removed; a cgroup holding this process is left.
 */
@RequiresRoot
@RequiresCgroupV1
class LinuxAgentCleanupTest {
  private final String root = "strata-cleanup-test-" + ProcessHandle.current().pid();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() {
    started.forEach(Process::destroyForcibly);
  }

  /** A task as an agent makes it: its cgroup in every hierarchy, its process in each. */
  private static void task(CgroupLayout layout, String parent, String name, long pid)
      throws IOException {
    for (Path h : layout.hierarchies()) {
      Path cg = h.resolve(parent).resolve(name);
      Files.createDirectories(cg);
      Files.writeString(cg.resolve("cgroup.procs"), Long.toString(pid));
    }
  }

  private Process sleeper() throws IOException {
    Process p = new ProcessBuilder("sleep", "600").start();
    started.add(p);
    return p;
  }

  @Test
  void theTasksOfEveryAgentAreKilledAndAllTheClustersCgroupsRemoved() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(CgroupLayout.Preference.AUTO);
    Process one = sleeper();
    Process two = sleeper();
    task(layout, root + "/a1", "task1", one.pid());
    task(layout, root + "/a2", "task2", two.pid());

    AgentCleanup.Result result = new LinuxAgentCleanup().clean(root);

    assertThat(result.left()).isEmpty();
    assertThat(result.tasksKilled()).isEqualTo(2);
    assertThat(one.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(two.waitFor(10, TimeUnit.SECONDS)).isTrue();
    for (Path h : layout.hierarchies()) {
      assertThat(h.resolve(root)).doesNotExist();
    }
  }

  @Test
  void aCgroupHoldingThisProcessIsLeftNotKilled() throws Exception {
    CgroupLayout layout = CgroupLayout.detect(CgroupLayout.Preference.AUTO);
    Path tracking = layout.tracking().resolve(root).resolve("a1").resolve("self");
    Path before = Path.of("/proc/self/cgroup");
    String[] mine = Files.readString(before).lines().toArray(String[]::new);
    // Only the tracking hierarchy: moving this JVM there is enough to be seen, and harmless.
    Files.createDirectories(tracking);
    Path home = homeIn(layout.tracking(), mine);
    Files.writeString(
        tracking.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
    try {
      AgentCleanup.Result result = new LinuxAgentCleanup().clean(root);
      assertThat(result.left()).isNotEmpty();
      assertThat(ProcessHandle.current().isAlive()).isTrue();
    } finally {
      Files.writeString(home.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
      for (Path h : layout.hierarchies()) {
        deleteDirs(h.resolve(root));
      }
    }
  }

  /** Where this process was in {@code hierarchy} before the test moved it. */
  private static Path homeIn(Path hierarchy, String[] procSelfCgroup) {
    String name = hierarchy.getFileName().toString();
    for (String line : procSelfCgroup) {
      String[] parts = line.split(":", 3);
      for (String controller : parts[1].split(",")) {
        if (controller.equals(name) || (parts[1].isEmpty() && name.equals("unified"))) {
          return hierarchy.resolve(parts[2].substring(1));
        }
      }
    }
    return hierarchy;
  }

  private static void deleteDirs(Path top) throws IOException {
    if (!Files.exists(top)) {
      return;
    }
    try (var walk = Files.walk(top)) {
      for (Path p :
          walk.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

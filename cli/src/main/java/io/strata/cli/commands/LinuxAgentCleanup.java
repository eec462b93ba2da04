package io.strata.cli.commands;

import io.strata.agent.linux.cgroups.CgroupLayout;
import io.strata.agent.linux.exec.HostOpExecutor;
import io.strata.agent.linux.exec.LinuxContainerizer;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.agent.linux.plan.HostOp;
import io.strata.agent.linux.users.TaskUsers;
import io.strata.provisioner.providers.local.AgentCleanup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Linux agent's own cleanup, for {@code strata down} and the local cloud's scale-down: under a
 * cgroup parent, every task cgroup is an orphan that agent-linux's containerizer kills (the agent's
 * hard kill: cgroup.kill, or freeze, SIGKILL, thaw) and removes, exactly as an agent does with
 * orphans when it starts; then the parent goes. A parent holding parents (the cluster's root, one
 * per agent) is cleaned depth first. A cgroup holding this process or one of its ancestors is left
 * (and reported), never killed.
 */
public final class LinuxAgentCleanup implements AgentCleanup {
  private static final Path MOUNT = Path.of("/sys/fs/cgroup");
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Override
  public Result clean(String cgroupParent) {
    Optional<CgroupLayout> layout = layout();
    if (layout.isEmpty()) {
      return new Result(0, List.of());
    }
    return clean(layout.get(), Path.of(cgroupParent), selfAndAncestors());
  }

  private static Optional<CgroupLayout> layout() {
    if (!Files.isDirectory(MOUNT)) {
      return Optional.empty();
    }
    try {
      return Optional.of(CgroupLayout.detect(CgroupLayout.Preference.AUTO));
    } catch (IOException | RuntimeException e) {
      // No cgroups an agent could have used: nothing of an agent's to clean.
      return Optional.empty();
    }
  }

  private Result clean(CgroupLayout layout, Path parent, Set<Long> spared) {
    Path tracking = layout.tracking().resolve(parent);
    if (!Files.isDirectory(tracking)) {
      return removeParent(layout, parent, 0);
    }
    Result nested = new Result(0, List.of());
    List<Path> tasks = new ArrayList<>();
    for (Path child : children(tracking)) {
      if (children(child).isEmpty()) {
        tasks.add(child);
      } else {
        Result r = clean(layout, parent.resolve(child.getFileName()), spared);
        nested =
            new Result(nested.tasksKilled() + r.tasksKilled(), concat(nested.left(), r.left()));
      }
    }
    if (holdsAny(tracking, spared)) {
      return new Result(nested.tasksKilled(), concat(nested.left(), List.of(tracking)));
    }
    // Without cgroup.kill the hard kill freezes, kills and thaws: right on every kernel.
    CgroupIsolator isolator = new CgroupIsolator(layout, parent.toString(), 0, false);
    try {
      Path scratch = Files.createTempDirectory("strata-down");
      try (LinuxContainerizer agent =
          LinuxContainerizer.start(scratch, isolator, TaskUsers.named(true), Clock.systemUTC())) {
        agent.recover(List.of()); // no checkpoint: every task cgroup is an orphan
      } finally {
        deleteTree(scratch);
      }
    } catch (IOException | RuntimeException e) {
      return new Result(nested.tasksKilled(), concat(nested.left(), List.of(tracking)));
    }
    Result here = removeParent(layout, parent, tasks.size());
    return new Result(
        nested.tasksKilled() + here.tasksKilled(), concat(nested.left(), here.left()));
  }

  /** Removes the (now empty) parent in every hierarchy, deepest first. */
  private static Result removeParent(CgroupLayout layout, Path parent, int killed) {
    List<Path> left = new ArrayList<>();
    HostOpExecutor ops = new HostOpExecutor(PATIENCE);
    for (Path hierarchy : layout.hierarchies()) {
      Path dir = hierarchy.resolve(parent);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try {
        ops.perform(new HostOp.RemoveDirectory(dir));
      } catch (IOException e) {
        left.add(dir);
      }
    }
    return new Result(killed, left);
  }

  private static boolean holdsAny(Path cgroup, Set<Long> pids) {
    try (Stream<Path> walk = Files.walk(cgroup)) {
      for (Path procs :
          walk.filter(p -> p.getFileName().toString().equals("cgroup.procs")).toList()) {
        for (String line : Files.readAllLines(procs)) {
          if (!line.isBlank() && pids.contains(Long.parseLong(line.strip()))) {
            return true;
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }

  private static List<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Set<Long> selfAndAncestors() {
    Set<Long> out = new HashSet<>();
    for (Optional<ProcessHandle> h = Optional.of(ProcessHandle.current());
        h.isPresent();
        h = h.get().parent()) {
      out.add(h.get().pid());
    }
    return out;
  }

  private static List<Path> concat(List<Path> a, List<Path> b) {
    List<Path> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}

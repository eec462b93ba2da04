package io.strata.agent.linux;

import io.strata.agent.containerizer.ContainerId;
import io.strata.api.CommandInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Shell commands and process inspection shared by the Linux tests. */
public final class LinuxTestSupport {
  private LinuxTestSupport() {}

  /**
   * Live processes whose environment carries {@code STRATA_CONTAINER_ID=<id>}: found from /proc,
   * independently of any cgroup.
   */
  public static List<Long> processesWithContainerId(ContainerId id) throws IOException {
    return processesWithEnv("STRATA_CONTAINER_ID=" + id.value());
  }

  /** Live task processes (not their supervisors) of task {@code id}, whatever its container. */
  public static List<Long> processesWithTask(io.strata.api.TaskId id) throws IOException {
    List<Long> out = new ArrayList<>();
    for (long pid : processesWithEnv("STRATA_TASK_ID=" + id.value())) {
      try {
        String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
        if (!cmdline.startsWith("strata-supervisor")) {
          out.add(pid);
        }
      } catch (IOException e) {
        // gone meanwhile
      }
    }
    return out;
  }

  private static List<Long> processesWithEnv(String variable) throws IOException {
    byte[] needle = (variable + "\0").getBytes(StandardCharsets.UTF_8);
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        byte[] env;
        try {
          env = Files.readAllBytes(p.resolve("environ"));
        } catch (IOException e) {
          continue; // gone meanwhile, or a kernel thread
        }
        if (indexOf(env, needle) >= 0) {
          out.add(Long.parseLong(name));
        }
      }
    }
    return out;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      if (i > 0 && hay[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public static CommandInfo sh(String script) {
    return CommandInfo.shell(script);
  }

  /** A task's sleep that ends on SIGTERM at once (sh defers traps until its child ends). */
  public static final String SLEEP_FOREVER = "exec sleep 100000";

  public static final String IGNORE_TERM = "trap '' TERM; while :; do sleep 1; done";

  /** A child in its own session and a grandchild, all ignoring SIGTERM, plus the root. */
  public static final String PROCESS_TREE =
      "trap '' TERM; setsid sh -c \"trap '' TERM; sleep 100000 & while :; do sleep 1; done\" &"
          + " while :; do sleep 1; done";
}

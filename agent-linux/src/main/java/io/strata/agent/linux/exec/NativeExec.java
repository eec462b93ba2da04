package io.strata.agent.linux.exec;

import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ExecResult;
import io.strata.agent.linux.cgroups.TaskCgroups;
import io.strata.agent.linux.users.TaskUser;
import io.strata.api.CommandInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in a task's context (health checks): it joins the task's cgroups before exec, runs
 * as the task's user in its sandbox with its environment, and is killed with its descendants when
 * it overstays.
 */
final class NativeExec {
  private static final int OUTPUT_LIMIT = 4096;
  private static final String JOIN =
      "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo 0 >\"$1\" || exit 125; shift;"
          + " n=$((n - 1)); done; exec \"$@\"";

  private NativeExec() {}

  static ExecResult run(
      TaskCgroups cgroups,
      List<String> userPrefix,
      Map<String, String> env,
      Path sandbox,
      CommandInfo command,
      Duration timeout) {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", JOIN, "strata-exec"));
    argv.add(Integer.toString(cgroups.procsFiles().size()));
    cgroups.procsFiles().forEach(p -> argv.add(p.toString()));
    argv.addAll(userPrefix);
    if (userPrefix.isEmpty() && java.nio.file.Files.isExecutable(TaskUser.SETPRIV)) {
      // Started by the JDK (not Posix.spawnIn): NoNewPrivs is set here, as in the task itself.
      argv.addAll(List.of(TaskUser.SETPRIV.toString(), "--no-new-privs", "--"));
    }
    if (command.isShell()) {
      argv.addAll(List.of("/bin/sh", "-c", command.shell()));
    } else {
      argv.addAll(command.argv());
    }
    ProcessBuilder pb =
        new ProcessBuilder(argv).directory(sandbox.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ContainerizerException("cannot start " + command + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
    try {
      boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
      }
      reader.join(1000);
      String text;
      synchronized (out) {
        text = out.toString(StandardCharsets.UTF_8);
      }
      return new ExecResult(ended ? p.exitValue() : -1, !ended, text);
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted while running " + command, e);
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream out) {
    byte[] buf = new byte[1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        synchronized (out) {
          int room = OUTPUT_LIMIT - out.size();
          if (room > 0) {
            out.write(buf, 0, Math.min(room, n));
          }
        }
      }
    } catch (IOException e) {
      // The process was killed and its pipe torn down: what was read so far is the output.
    }
  }
}

package io.strata.agent.linux.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.linux.jna.Posix;
import io.strata.agent.linux.plan.CgroupIsolator;
import io.strata.testkit.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's stderr file holds what the task wrote and nothing of the supervisor's. On the v1 way in
 * (born in its cgroups) the agent does not wait for "ready" and closes its end of the pipe at once;
 * the supervisor's "ready" then meets a closed pipe, and its shell used to print {@code echo: I/O
 * error} into the task's stderr, which turned every failure message into two lines.
 */
class SupervisorStderrTest {
  @TempDir Path work;

  @Test
  void theTasksStderrIsExactlyWhatTheTaskWroteWhenNobodyWaitsForReady() throws Exception {
    Supervisor supervisor = Supervisor.install(work.resolve("run"), List.of());
    try {
      for (int i = 0; i < 5; i++) {
        Path dir = Files.createDirectories(work.resolve("t" + i));
        Path stderr = dir.resolve("stderr");
        Path exit = dir.resolve("exit");
        Supervisor.Started started =
            supervisor.start(
                new CgroupIsolator.Spawn(List.of(), List.of(), List.of(), false),
                List.of("/bin/sh", "-c", "echo 'only this' >&2; exit 7"),
                Map.of("PATH", "/usr/bin:/bin"),
                dir,
                dir.resolve("stdout"),
                stderr,
                exit);
        Eventually.await("the exit status", () -> Supervisor.exitStatus(exit).isPresent());
        assertThat(Supervisor.exitStatus(exit)).contains(7);
        assertThat(Files.readString(stderr)).as("run " + i).isEqualTo("only this\n");
        Posix.reap(started.pid());
      }
    } finally {
      supervisor.close();
    }
  }
}

package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** Allocators run by {@link AllocatorMain} in their own JVMs, with the test's classpath. */
final class ChildAllocator implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();

  /** Starts one and waits until it serves; its output goes to {@code log}. */
  Process start(Path log, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Xmx256m",
                AllocatorMain.class.getName()));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    Awaitility.await("allocator listening (log " + log + ")")
        .atMost(Duration.ofSeconds(60))
        .until(() -> !p.isAlive() || Files.readString(log).contains("listening on"));
    assertThat(p.isAlive()).as("allocator exited; see " + log).isTrue();
    return p;
  }

  @Override
  public void close() {
    processes.forEach(Process::destroyForcibly);
  }
}

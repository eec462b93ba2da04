package io.strata.agent.linux.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** posix_spawn's descriptors: what the supervisor's pipes (3: ready, 4: go) rely on. */
class PosixSpawnTest {
  static final Path DEV_NULL = Path.of("/dev/null");

  @Test
  void inheritedDescriptorsBecomeThreeFourAndSoOnInOrder() throws Exception {
    int[] first = Posix.pipe();
    int[] second = Posix.pipe();
    long pid;
    try {
      pid =
          Posix.spawn(
              new Posix.SpawnRequest(
                  "/bin/sh",
                  List.of("sh", "-c", "echo three >&3; echo four >&4"),
                  Map.of("PATH", "/usr/bin:/bin"),
                  DEV_NULL,
                  DEV_NULL,
                  DEV_NULL,
                  List.of(first[1], second[1]),
                  false));
    } finally {
      Posix.close(first[1]);
      Posix.close(second[1]);
    }
    try {
      assertThat(Posix.pollReadable(new int[] {first[0]}, 30_000)).isNotEmpty();
      assertThat(Posix.readLine(first[0], 100)).isEqualTo("three");
      assertThat(Posix.pollReadable(new int[] {second[0]}, 30_000)).isNotEmpty();
      assertThat(Posix.readLine(second[0], 100)).isEqualTo("four");
    } finally {
      Posix.close(first[0]);
      Posix.close(second[0]);
      while (!Posix.reap(pid)) {
        Thread.sleep(1);
      }
    }
  }

  @Test
  void aDescriptorAmongTheTargetsIsRefused() {
    assertThatThrownBy(
            () ->
                new Posix.SpawnRequest(
                    "/bin/sh",
                    List.of("sh"),
                    Map.of(),
                    DEV_NULL,
                    DEV_NULL,
                    DEV_NULL,
                    List.of(100, 4),
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("descriptor 4");
  }
}

package io.strata.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
  static final int SIZE = 4 << 20;

  @TempDir Path dir;

  /**
   * A process killed (SIGKILL) in the middle of replacing a file leaves the old content or the new
   * one, never a mix or a truncated file; the next write replaces what the crash left behind.
   */
  @Test
  void aKilledWriterLeavesTheOldContentOrTheNewNeverATornFile() throws Exception {
    Path file = dir.resolve("state.json");
    Random random = new Random(18);
    for (int round = 0; round < 8; round++) {
      Process writer =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  TornWriter.class.getName(),
                  file.toString(),
                  Integer.toString(SIZE))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
        assertThat(out.readLine()).isEqualTo("ready");
        Thread.sleep(random.nextInt(5, 150));
        writer.destroyForcibly();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      byte[] content = Files.readAllBytes(file);
      assertThat(content).hasSize(SIZE);
      byte first = content[0];
      assertThat(first == 'a' || first == 'b').isTrue();
      for (int i = 0; i < content.length; i += 4096) {
        assertThat(content[i]).as("byte %d of round %d", i, round).isEqualTo(first);
      }
      assertThat(content[content.length - 1]).isEqualTo(first);
    }
    DurableFiles.write(file, "after".getBytes(StandardCharsets.US_ASCII));
    assertThat(Files.readString(file)).isEqualTo("after");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
    }
  }

  @Test
  void filesAndTheDirectoriesItCreatesAreOwnerOnly() throws Exception {
    assumeTrue(!HostOs.windows(), "modes are POSIX");
    Path file = dir.resolve("a/b/credential");
    // A temporary file a crash left world-readable is not reused as it is.
    Files.createDirectories(file.getParent());
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path leftover = file.resolveSibling(".credential.tmp");
    Files.writeString(leftover, "old");
    Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));

    DurableFiles.write(file, "secret".getBytes(StandardCharsets.US_ASCII));
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(file.getParent()))
        .as("an existing directory keeps its mode")
        .isEqualTo("rwxr-xr-x");

    Path fresh = dir.resolve("x/y/z.json");
    DurableFiles.write(fresh, new byte[] {1}, false);
    assertThat(mode(fresh)).isEqualTo("rw-------");
    assertThat(List.of(mode(dir.resolve("x")), mode(dir.resolve("x/y")))).containsOnly("rwx------");
  }

  @Test
  void deleteSaysWhetherThereWasAFile() throws Exception {
    Path file = dir.resolve("id");
    DurableFiles.write(file, new byte[] {7});
    assertThat(DurableFiles.delete(file)).isTrue();
    assertThat(file).doesNotExist();
    assertThat(DurableFiles.delete(file)).isFalse();
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}

package io.strata.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.agent.files.SandboxFiles;
import io.strata.testkit.RequiresRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SandboxFiles} must do, against a sandbox a hostile task has filled with links,
 * FIFOs, device nodes and hard links to a host file (a file the test creates outside the sandbox,
 * standing for {@code /etc/shadow}).
 */
public abstract class SandboxFilesContract {
  protected static final String SECRET = "top secret: outside the sandbox";
  @TempDir protected Path work;
  protected Path sandbox;
  protected Path secret;

  /** The implementation under test. */
  protected abstract SandboxFiles files();

  /** Whether it stays confined while a task swaps intermediate directories for links. */
  protected boolean confinedWhileComponentsRace() {
    return true;
  }

  @BeforeEach
  void fill() throws IOException {
    sandbox = Files.createDirectories(work.resolve("sandboxes").resolve("c1"));
    secret = Files.writeString(work.resolve("shadow"), SECRET);
    Files.createDirectories(work.resolve("host-dir"));
    Files.writeString(work.resolve("host-dir").resolve("f"), SECRET);
    Files.writeString(sandbox.resolve("stdout"), "0123456789");
    Files.createDirectories(sandbox.resolve("logs"));
    Files.writeString(sandbox.resolve("logs").resolve("app.log"), "hello");
  }

  protected SandboxFiles.Result read(String relative) throws IOException {
    return files().read(sandbox, relative, 0, 1 << 20);
  }

  protected static void assertNotServed(SandboxFiles.Result r) {
    assertThat(r).isNotInstanceOf(SandboxFiles.FileData.class);
    assertThat(r).isNotInstanceOf(SandboxFiles.Listing.class);
  }

  @Test
  void readsRegularFilesAndRangesAndListsDirectories() throws IOException {
    SandboxFiles.FileData all = (SandboxFiles.FileData) read("stdout");
    assertThat(all.size()).isEqualTo(10);
    assertThat(new String(all.data(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
    SandboxFiles.Result range = files().read(sandbox, "stdout", 4, 3);
    assertThat(new String(((SandboxFiles.FileData) range).data(), StandardCharsets.UTF_8))
        .isEqualTo("456");
    assertThat(((SandboxFiles.FileData) files().read(sandbox, "stdout", 99, 3)).data()).isEmpty();
    assertThat(new String(((SandboxFiles.FileData) read("./logs//app.log")).data()))
        .isEqualTo("hello");
    SandboxFiles.Listing root = (SandboxFiles.Listing) read("");
    assertThat(root.entries())
        .containsExactly(
            new SandboxFiles.Entry("logs", "directory", 0),
            new SandboxFiles.Entry("stdout", "file", 10));
    assertThat(read("logs")).isInstanceOf(SandboxFiles.Listing.class);
    assertThat(read("missing")).isInstanceOf(SandboxFiles.Missing.class);
    assertThat(read("stdout/x")).isInstanceOf(SandboxFiles.Missing.class);
    assertThat(read("x".repeat(300))).isInstanceOf(SandboxFiles.Missing.class);
  }

  @Test
  void refusesDotDotAbsolutePathsAndNul() throws IOException {
    for (String escape :
        List.of("..", "../shadow", "logs/../../shadow", "/etc/passwd", "a\0b", "..\\shadow")) {
      assertThat(read(escape)).as(escape).isInstanceOf(SandboxFiles.Refused.class);
    }
  }

  @Test
  void followsNoSymlinkInAnyComponent() throws IOException {
    Files.createSymbolicLink(sandbox.resolve("escape"), secret);
    Files.createSymbolicLink(sandbox.resolve("dir"), work.resolve("host-dir"));
    Files.createSymbolicLink(sandbox.resolve("inside"), sandbox.resolve("stdout"));
    Files.createSymbolicLink(sandbox.resolve("up"), Path.of(".."));
    for (String path : List.of("escape", "dir/f", "dir", "inside", "up/shadow", "logs/../escape")) {
      assertNotServed(read(path));
    }
    assertThat(read("escape")).isInstanceOf(SandboxFiles.Refused.class);
    assertThat(read("dir/f")).isInstanceOf(SandboxFiles.Refused.class);
    SandboxFiles.Listing listing = (SandboxFiles.Listing) read("");
    assertThat(listing.entries()).contains(new SandboxFiles.Entry("escape", "symlink", 0));
  }

  @Test
  void refusesHardLinksToFilesOutside() throws IOException {
    Files.createLink(sandbox.resolve("shadow-link"), secret);
    assertThat(read("shadow-link")).isInstanceOf(SandboxFiles.Refused.class);
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void refusesFifosWithoutBlocking() throws Exception {
    Path fifo = sandbox.resolve("fifo");
    run("mkfifo", fifo.toString());
    SandboxFiles.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> read("fifo"));
    assertThat(r).isInstanceOf(SandboxFiles.Refused.class);
  }

  @Test
  @RequiresRoot
  void refusesDeviceNodes() throws Exception {
    // A character device (the null device's numbers): never opened, never read.
    run("mknod", sandbox.resolve("dev").toString(), "c", "1", "3");
    SandboxFiles.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> read("dev"));
    assertThat(r).isInstanceOf(SandboxFiles.Refused.class);
  }

  /** A task flips a name between a regular file and a link to the host file, as fast as it can. */
  @Test
  void neverServesTheHostFileWhileTheLastComponentRaces() throws Exception {
    Path name = sandbox.resolve("flip");
    AtomicBoolean stop = new AtomicBoolean();
    Thread flipper =
        Thread.ofPlatform()
            .start(
                () -> {
                  Path link = sandbox.resolve(".l");
                  Path regular = sandbox.resolve(".r");
                  while (!stop.get()) {
                    try {
                      Files.deleteIfExists(link);
                      Files.createSymbolicLink(link, secret);
                      Files.move(link, name, StandardCopyOption.ATOMIC_MOVE);
                      Files.writeString(regular, "harmless");
                      Files.move(regular, name, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                      // keep flipping
                    }
                  }
                });
    int[] counts;
    try {
      counts = race("flip", 4000);
    } finally {
      stop.set(true);
      flipper.join();
    }
    assertThat(counts[0]).as("host file served").isZero();
    assertThat(counts[1]).as("harmless file served at least once").isPositive();
  }

  /** A task flips a middle component between a directory and a link to a host directory. */
  @Test
  void neverServesTheHostFileWhileAMiddleComponentRaces() throws Exception {
    assumeTrue(confinedWhileComponentsRace(), "this implementation documents that limit");
    Path real = sandbox.resolve(".real");
    Files.createDirectories(real);
    Files.writeString(real.resolve("f"), "harmless");
    Path name = sandbox.resolve("d");
    AtomicBoolean stop = new AtomicBoolean();
    Thread flipper =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!stop.get()) {
                    try {
                      Files.move(real, name, StandardCopyOption.ATOMIC_MOVE);
                      Files.move(name, real, StandardCopyOption.ATOMIC_MOVE);
                      Files.createSymbolicLink(name, work.resolve("host-dir"));
                      Files.delete(name);
                    } catch (IOException e) {
                      // keep flipping
                    }
                  }
                });
    int[] counts;
    try {
      counts = race("d/f", 4000);
    } finally {
      stop.set(true);
      flipper.join();
    }
    assertThat(counts[0]).as("host file served").isZero();
    assertThat(counts[1]).as("harmless file served at least once").isPositive();
  }

  /**
   * Reads {@code path} {@code times} times, and on until the harmless file was served once (at most
   * {@code 50 * times} reads: how the two threads interleave is the scheduler's choice, so a fixed
   * count may see only one side of the race): [host file served, harmless file served].
   */
  private int[] race(String path, int times) throws IOException {
    AtomicInteger leaks = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    for (int i = 0; i < times || (served.get() == 0 && i < 50 * times); i++) {
      if (read(path) instanceof SandboxFiles.FileData data) {
        String text = new String(data.data(), StandardCharsets.UTF_8);
        if (text.contains("top secret")) {
          leaks.incrementAndGet();
        } else {
          served.incrementAndGet();
        }
      }
    }
    return new int[] {leaks.get(), served.get()};
  }

  protected static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
  }
}

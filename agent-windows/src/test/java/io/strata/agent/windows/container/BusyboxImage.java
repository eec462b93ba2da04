package io.strata.agent.windows.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tiny test image made of a static busybox ({@code STRATA_TEST_BUSYBOX}, else {@code
 * /bin/busybox}: testkit's {@code Environment.busybox()}) with `docker import` (no registry is
 * reachable).
 */
final class BusyboxImage {
  private BusyboxImage() {}

  static synchronized void ensure(String image) throws IOException, InterruptedException {
    if (run("docker", "image", "inspect", image) == 0) {
      return;
    }
    Path root = Files.createTempDirectory("strata-busybox");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path busybox =
        io.strata.testkit.Environment.busybox()
            .orElseThrow(
                () ->
                    new IOException(io.strata.testkit.Environment.missingBusybox().orElseThrow()));
    Files.copy(busybox, bin.resolve("busybox"));
    for (String tool : new String[] {"sh", "echo", "sleep", "true", "cat", "env"}) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("busybox"));
    }
    int rc =
        run(
            "sh",
            "-c",
            "tar -C '" + root + "' -c . | docker import -c 'CMD [\"/bin/sh\"]' - " + image);
    if (rc != 0) {
      throw new IOException("docker import of " + image + " failed with " + rc);
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " timed out");
    }
    return p.exitValue();
  }
}

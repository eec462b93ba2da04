package io.strata.agent.linux.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The tests' container image, built once per engine with {@code docker import} from a tiny rootfs:
 * a static busybox ({@code STRATA_TEST_BUSYBOX}, else {@code /bin/busybox}: testkit's {@code
 * Environment.busybox()}; tests that use it are {@code @RequiresBusybox}), a link per applet, and
 * an /etc/passwd with root and nobody. No registry is involved.
 */
public final class BusyboxImage {
  public static final String NAME = "strata-agent-test/busybox:1";

  private BusyboxImage() {}

  public static synchronized String ensure(DockerClient docker)
      throws IOException, InterruptedException {
    try {
      docker.inspectImageCmd(NAME).exec();
      return NAME;
    } catch (NotFoundException e) {
      // Build it below.
    }
    Path busybox =
        io.strata.testkit.Environment.busybox()
            .orElseThrow(
                () ->
                    new IOException(io.strata.testkit.Environment.missingBusybox().orElseThrow()));
    Process list = new ProcessBuilder(busybox.toString(), "--list").start();
    List<String> applets =
        new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    list.waitFor();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String dir : List.of("bin/", "etc/", "tmp/", "mnt/", "mnt/sandbox/")) {
        dir(out, dir);
      }
      byte[] binary = Files.readAllBytes(busybox);
      file(out, "bin/busybox", binary, 0755);
      for (String applet : applets) {
        if (applet.equals("busybox")) {
          continue;
        }
        TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("busybox");
        out.putArchiveEntry(link);
        out.closeArchiveEntry();
      }
      file(
          out,
          "etc/passwd",
          "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
              .getBytes(StandardCharsets.UTF_8),
          0644);
      file(
          out, "etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), 0644);
    }
    return importImage(docker, tar.toByteArray(), NAME);
  }

  /** Imports a root file system (a tar) as image {@code name}. */
  static String importImage(DockerClient docker, byte[] tar, String name)
      throws IOException, InterruptedException {
    // docker-java's import over the httpclient5 transport cuts the upload short ("unexpected
    // EOF"), so the image is imported with the docker CLI.
    Path file = Files.createTempFile("strata-image", ".tar");
    try {
      Files.write(file, tar);
      Process p =
          new ProcessBuilder("docker", "import", file.toString(), name)
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("docker import failed: " + output);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    docker.inspectImageCmd(name).exec();
    return name;
  }

  /** A directory entry ({@code tmp/} sticky and world-writable, others 0755). */
  static void dir(TarArchiveOutputStream out, String dir) throws IOException {
    TarArchiveEntry d = new TarArchiveEntry(dir);
    d.setMode(dir.equals("tmp/") ? 01777 : 0755);
    out.putArchiveEntry(d);
    out.closeArchiveEntry();
  }

  static void file(TarArchiveOutputStream out, String name, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(mode);
    out.putArchiveEntry(e);
    out.write(content);
    out.closeArchiveEntry();
  }
}

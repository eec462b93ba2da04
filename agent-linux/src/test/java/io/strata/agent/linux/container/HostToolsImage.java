package io.strata.agent.linux.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tiny image imported from this host's own dynamically linked tools ({@code /bin/sh}, {@code id},
 * {@code cat}, {@code sleep}) and the libraries {@code ldd} names for them: for machines without a
 * static busybox. No registry is involved.
 */
final class HostToolsImage {
  static final String NAME = "strata-agent-test/host-tools:1";
  private static final List<String> TOOLS =
      List.of("/bin/sh", "/usr/bin/id", "/bin/cat", "/bin/sleep");

  private HostToolsImage() {}

  static synchronized String ensure(DockerClient docker) throws IOException, InterruptedException {
    try {
      docker.inspectImageCmd(NAME).exec();
      return NAME;
    } catch (NotFoundException e) {
      // Build it below.
    }
    Set<String> files = new TreeSet<>();
    for (String tool : TOOLS) {
      Path real = Path.of(tool).toRealPath();
      files.add(real.toString());
      Process ldd = new ProcessBuilder("ldd", real.toString()).start();
      for (String line :
          new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .toList()) {
        for (String word : line.trim().split("\\s+")) {
          if (word.startsWith("/")) {
            files.add(word);
          }
        }
      }
      ldd.waitFor();
    }
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      Set<String> dirs = new TreeSet<>(List.of("tmp/", "mnt/", "mnt/sandbox/", "proc/", "etc/"));
      for (String f : files) {
        for (Path d = Path.of(f).getParent();
            d != null && d.getNameCount() > 0;
            d = d.getParent()) {
          dirs.add(d.toString().substring(1) + "/");
        }
      }
      for (String tool : TOOLS) {
        dirs.add(Path.of(tool).getParent().toString().substring(1) + "/");
      }
      for (String dir : dirs) {
        BusyboxImage.dir(out, dir);
      }
      Set<String> written = new TreeSet<>();
      for (String f : files) {
        // The loader and libraries by their real content, under the names ldd gave.
        BusyboxImage.file(out, f.substring(1), Files.readAllBytes(Path.of(f).toRealPath()), 0755);
        written.add(f);
      }
      for (String tool : TOOLS) {
        if (!written.contains(tool)) {
          BusyboxImage.file(
              out, tool.substring(1), Files.readAllBytes(Path.of(tool).toRealPath()), 0755);
        }
      }
    }
    return BusyboxImage.importImage(docker, tar.toByteArray(), NAME);
  }
}

package io.strata.agent.linux.docker;

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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
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
        TarArchiveEntry d = new TarArchiveEntry(dir);
        d.setMode(dir.equals("tmp/") ? 01777 : 0755);
        out.putArchiveEntry(d);
        out.closeArchiveEntry();
      }
      Set<String> written = new TreeSet<>();
      for (String f : files) {
        // The loader and libraries by their real content, under the names ldd gave.
        file(out, f.substring(1), Files.readAllBytes(Path.of(f).toRealPath()));
        written.add(f);
      }
      for (String tool : TOOLS) {
        if (!written.contains(tool)) {
          file(out, tool.substring(1), Files.readAllBytes(Path.of(tool).toRealPath()));
        }
      }
    }
    Path file = Files.createTempFile("strata-host-tools", ".tar");
    try {
      Files.write(file, tar.toByteArray());
      Process p =
          new ProcessBuilder("docker", "import", file.toString(), NAME)
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("docker import failed: " + output);
      }
    } finally {
      Files.deleteIfExists(file);
    }
    docker.inspectImageCmd(NAME).exec();
    return NAME;
  }

  private static void file(TarArchiveOutputStream out, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    e.setMode(0755);
    out.putArchiveEntry(e);
    out.write(content);
    out.closeArchiveEntry();
  }
}

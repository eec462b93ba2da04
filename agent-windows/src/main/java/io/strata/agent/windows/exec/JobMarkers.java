package io.strata.agent.windows.exec;

import io.strata.agent.containerizer.ContainerId;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One small file per job this containerizer created, in its work directory: the host-side record of
 * its jobs, as a cgroup directory is on Linux. Windows cannot list named job objects, so this is
 * how a restarted agent finds jobs that no checkpoint names (an agent that died between launching
 * and checkpointing) and kills them. Written before the job is created, removed once it has ended.
 */
final class JobMarkers {
  private final Path dir;

  JobMarkers(Path workDir) {
    this.dir = workDir.resolve("jobs");
  }

  void write(ContainerId id, Map<String, String> fields) {
    Properties p = new Properties();
    p.putAll(fields);
    try {
      StringWriter w = new StringWriter();
      p.store(w, "strata job marker");
      // Durable: a marker lost in a crash would leave its job running with nobody to find it.
      DurableFiles.write(file(id), w.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the job marker of " + id, e);
    }
  }

  void delete(ContainerId id) {
    try {
      Files.deleteIfExists(file(id));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the job marker of " + id, e);
    }
  }

  /** Every marker, by container id. */
  Map<ContainerId, Map<String, String>> all() {
    Map<ContainerId, Map<String, String>> out = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.job")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
          p.load(r);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> fields.put(k, p.getProperty(k)));
        out.put(ContainerId.of(name.substring(0, name.length() - ".job".length())), fields);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the job markers in " + dir, e);
    }
    return out;
  }

  boolean isEmpty() {
    return all().isEmpty();
  }

  private Path file(ContainerId id) {
    return dir.resolve(id.value() + ".job");
  }
}

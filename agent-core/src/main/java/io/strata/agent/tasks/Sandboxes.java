package io.strata.agent.tasks;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.state.StateFiles;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.json.Codec;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Task sandboxes under {@code workDir/sandboxes/<containerId>}: the task's working directory with
 * its {@code stdout} and {@code stderr}. Those files are appended to by the task (O_APPEND) and
 * rotated by the agent past a size: copied to {@code stdout.1} (older ones shifted up to {@code
 * .N}) and truncated in place — logrotate's copytruncate, which needs no cooperation from the task
 * (lines written between the copy and the truncation are lost).
 *
 * <p>Each sandbox has an owner entry in {@code workDir/sandboxes/.owners/<containerId>.json}
 * (framework and task ids), kept until the sandbox is collected, so that the logs of a task that
 * has ended — and that the agent no longer holds — can still be found by task id. The entry lives
 * outside the sandbox: the task cannot change it, and the HTTP endpoint cannot serve it (its name
 * is not a container id).
 */
public final class Sandboxes {
  private static final String OWNERS = ".owners";

  /** Whose a sandbox is; {@code modifiedAt} is when the sandbox's directory last changed. */
  public record Owner(
      FrameworkId frameworkId, TaskId taskId, ContainerId containerId, Instant modifiedAt) {}

  record OwnerEntry(FrameworkId frameworkId, TaskId taskId) {}

  private final Path root;
  private final long maxBytes;
  private final int files;

  public Sandboxes(Path root, long maxBytes, int files) throws IOException {
    this.root = root;
    this.maxBytes = maxBytes;
    this.files = files;
    // Tasks run as other users: they must be able to reach their own sandbox (x), and must not
    // list the others (no r).
    StateFiles.directory(root, StateFiles.TRAVERSE_ONLY);
  }

  public Path root() {
    return root;
  }

  /**
   * Creates the sandbox of a container, 0700 and the agent's until the containerizer gives it to
   * the task's user, and records whose it is (0600, in a 0700 directory).
   */
  public Path create(ContainerId id, FrameworkId framework, TaskId task) throws IOException {
    Path dir = StateFiles.privateDirectory(root.resolve(id.value()));
    Path owners = root.resolve(OWNERS);
    if (!Files.isDirectory(owners)) {
      StateFiles.privateDirectory(owners);
    }
    // Not fsync'd: it only serves to find the logs; a machine crash at worst loses that.
    Path entry = owners.resolve(id.value() + ".json");
    Files.deleteIfExists(entry);
    Files.write(
        Files.createFile(entry, StateFiles.privateFile()),
        Codec.JSON.encodeBytes(new OwnerEntry(framework, task)));
    return dir;
  }

  /**
   * The owners of the sandboxes still on disk, newest first. Sandboxes without an entry (or with an
   * unreadable one) are left out.
   */
  public List<Owner> owners() throws IOException {
    Path dir = root.resolve(OWNERS);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Owner> out = new ArrayList<>();
    try (var entries = Files.list(dir)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (!name.endsWith(".json")) {
          continue;
        }
        ContainerId id;
        OwnerEntry e;
        Instant modified;
        try {
          id = ContainerId.of(name.substring(0, name.length() - ".json".length()));
          modified = Files.getLastModifiedTime(root.resolve(id.value())).toInstant();
          e = Codec.JSON.decode(Files.readAllBytes(p), OwnerEntry.class);
        } catch (IllegalArgumentException | IOException ignored) {
          continue; // not an entry of ours, its sandbox is gone, or it was cut by a crash
        }
        out.add(new Owner(e.frameworkId(), e.taskId(), id, modified));
      }
    }
    out.sort(Comparator.comparing(Owner::modifiedAt).reversed());
    return out;
  }

  public static Path stdout(Path sandbox) {
    return sandbox.resolve("stdout");
  }

  public static Path stderr(Path sandbox) {
    return sandbox.resolve("stderr");
  }

  /** Rotates stdout and stderr of a sandbox if they grew past the limit. */
  public void rotate(Path sandbox) throws IOException {
    rotateFile(stdout(sandbox));
    rotateFile(stderr(sandbox));
  }

  void rotateFile(Path log) throws IOException {
    long size;
    try {
      size = Files.size(log);
    } catch (NoSuchFileException e) {
      return;
    }
    if (size <= maxBytes) {
      return;
    }
    for (int i = files - 1; i >= 1; i--) {
      Path older = log.resolveSibling(log.getFileName() + "." + i);
      if (Files.exists(older)) {
        Files.move(
            older,
            log.resolveSibling(log.getFileName() + "." + (i + 1)),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    // With its attributes: owner, group and mode stay the log's (the task's), not the agent's.
    Files.copy(
        log,
        log.resolveSibling(log.getFileName() + ".1"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.COPY_ATTRIBUTES);
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.truncate(0);
    }
    Files.deleteIfExists(log.resolveSibling(log.getFileName() + "." + (files + 1)));
  }

  /** The last {@code bytes} of a file as text, for failure messages; "" if absent. */
  public static String tail(Path file, int bytes) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, f.length() - bytes);
      byte[] buf = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Deletes the sandboxes of containers not in {@code held} whose directory was last modified
   * before {@code olderThan}; returns how many.
   */
  public int collect(java.util.Set<ContainerId> held, java.time.Instant olderThan)
      throws IOException {
    int n = 0;
    try (var dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String name = dir.getFileName().toString();
        ContainerId id;
        try {
          id = ContainerId.of(name);
        } catch (IllegalArgumentException e) {
          continue; // not a sandbox
        }
        if (!held.contains(id) && Files.getLastModifiedTime(dir).toInstant().isBefore(olderThan)) {
          delete(id);
          n++;
        }
      }
    }
    return n;
  }

  /** Deletes a sandbox and everything in it. */
  public void delete(ContainerId id) throws IOException {
    Files.deleteIfExists(root.resolve(OWNERS).resolve(id.value() + ".json"));
    Path dir = root.resolve(id.value());
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

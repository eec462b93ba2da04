package io.strata.agent.linux.users;

import com.fasterxml.jackson.databind.JavaType;
import io.strata.agent.linux.jna.Posix;
import io.strata.api.json.Codec;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The agent's uid allocation ({@link UidAllocation}), kept in {@code workDir/meta/task-uids.json}
 * (0600): written durably before a new uid is first used, so a restarted agent gives every app the
 * uid it had, and files its tasks left keep meaning the same owner.
 */
public final class TaskUids {
  static final String FILE = "task-uids.json";
  private static final JavaType STORED =
      Codec.JSON.mapper().getTypeFactory().constructMapType(Map.class, String.class, Integer.class);

  private final Path file;
  private UidAllocation allocation;

  private TaskUids(Path file, UidAllocation allocation) {
    this.file = file;
    this.allocation = allocation;
  }

  /** Loads the mapping of the agent in {@code workDir} (empty on a new agent) for {@code range}. */
  public static TaskUids open(Path workDir, UidRange range) throws IOException {
    Path file = workDir.resolve("meta").resolve(FILE);
    if (!Files.exists(file)) {
      return new TaskUids(file, UidAllocation.empty(range));
    }
    Map<String, Integer> stored = Codec.JSON.decode(Files.readAllBytes(file), STORED);
    return new TaskUids(file, UidAllocation.restore(range, stored));
  }

  public synchronized UidAllocation allocation() {
    return allocation;
  }

  public UidRange range() {
    return allocation.range();
  }

  /**
   * The uid of {@code key}, allocated (and persisted) if it has none, with {@code sandbox} given to
   * it (uid and gid, 0700) before another launch can take the uid back: a sandbox on disk marks its
   * owner's uid as in use.
   *
   * @return the uid, or the reason there is none ({@link UidAllocation.Exhausted})
   */
  public synchronized UidAllocation.Result claim(String key, Path sandbox) throws IOException {
    UidAllocation.Result r = allocation.assign(key, () -> owners(sandbox.getParent()));
    if (r instanceof UidAllocation.Assigned a) {
      if (a.next() != allocation) {
        DurableFiles.write(file, Codec.JSON.encodeBytes(new java.util.TreeMap<>(a.next().uids())));
        allocation = a.next();
      }
      if (Posix.euid() == 0) {
        Posix.chown(sandbox, a.uid(), a.uid());
      }
    }
    return r;
  }

  /** The owners of the sandboxes on disk: uids still in use. */
  static Set<Integer> owners(Path sandboxes) {
    Set<Integer> out = new HashSet<>();
    if (sandboxes == null || !Files.isDirectory(sandboxes)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(sandboxes)) {
      for (Path d : dirs.toList()) {
        try {
          if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            out.add((Integer) Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS));
          }
        } catch (IOException e) {
          // Gone meanwhile: it holds no uid.
        }
      }
    } catch (IOException e) {
      // Cannot tell which uids are free: take none back.
      throw new java.io.UncheckedIOException("cannot list the sandboxes in " + sandboxes, e);
    }
    return out;
  }
}

package io.strata.agent.tasks;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.state.StateFiles;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The task checkpoints in {@code workDir/meta/tasks}: one durable JSON file per container, 0600 in
 * a 0700 directory (a record holds the task's command and environment: no task may read another's).
 */
public final class TaskStore {
  private static final System.Logger LOG = System.getLogger(TaskStore.class.getName());
  private final Path dir;

  public TaskStore(Path dir) throws IOException {
    this.dir = dir;
    StateFiles.privateDirectory(dir);
  }

  /** Saves durably (fsync): the record survives a crash of the machine. */
  public void save(TaskCheckpoint record) throws IOException {
    DurableFiles.write(file(record.containerId()), Codec.JSON.encodeBytes(record), true);
  }

  /**
   * Saves without fsync: enough for a record that only needs to survive the agent process (a task
   * being launched: if the machine crashes first, the task never ran, the allocator's
   * reconciliation reports it lost, and recovery kills any process of it it finds).
   */
  public void saveQuickly(TaskCheckpoint record) throws IOException {
    DurableFiles.write(file(record.containerId()), Codec.JSON.encodeBytes(record), false);
  }

  public void delete(ContainerId id) throws IOException {
    DurableFiles.delete(file(id));
  }

  /** Every record; a file that does not decode is reported and set aside (renamed *.bad). */
  public List<TaskCheckpoint> loadAll() throws IOException {
    List<TaskCheckpoint> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        try {
          out.add(Codec.JSON.decode(Files.readAllBytes(f), TaskCheckpoint.class));
        } catch (ValidationException e) {
          LOG.log(
              System.Logger.Level.ERROR,
              "task checkpoint " + f + " is unreadable, set aside: " + e.getMessage());
          Files.move(f, f.resolveSibling(f.getFileName() + ".bad"));
        }
      }
    }
    return out;
  }

  private Path file(ContainerId id) {
    return dir.resolve(id.value() + ".json");
  }
}

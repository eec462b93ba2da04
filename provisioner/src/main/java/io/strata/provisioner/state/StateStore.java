package io.strata.provisioner.state;

import io.strata.api.json.Codec;
import io.strata.host.DurableFiles;
import io.strata.provisioner.core.ClusterRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One state file per cluster ({@code <dir>/<cluster>.state.json}), replaced atomically and durably
 * (host's {@link DurableFiles}: a crash leaves either the old or the new state, never a torn one).
 * The file holds the join token, so it is readable by its owner only, in a directory created
 * owner-only.
 */
public final class StateStore {
  private final Path dir;

  public StateStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path fileOf(String cluster) {
    return dir.resolve(cluster + ".state.json");
  }

  public Optional<ClusterRecord> load(String cluster) {
    Path file = fileOf(cluster);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Codec.JSON.decode(Files.readAllBytes(file), ClusterRecord.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state " + file, e);
    }
  }

  public synchronized void save(ClusterRecord record) {
    Path file = fileOf(record.cluster());
    try {
      DurableFiles.write(
          file, Codec.JSON.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write state " + file, e);
    }
  }

  public synchronized void delete(String cluster) {
    try {
      DurableFiles.delete(fileOf(cluster));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete state of " + cluster, e);
    }
  }
}

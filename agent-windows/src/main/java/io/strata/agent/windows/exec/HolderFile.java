package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import io.strata.agent.windows.jna.JobKernel32;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's {@link JobHolder}, recorded by identity in {@code <workDir>/job-holder} so that a
 * restarted agent finds the same one. Started on the first launch; stopped when an agent closes
 * with no job left to hold. A task whose handles could not be given to the holder still runs and
 * survives a restart through its own handle to its job, but its exit code is lost if it ends while
 * no agent runs.
 */
final class HolderFile {
  private static final Logger LOG = LoggerFactory.getLogger(HolderFile.class);
  static final String HOLDER = "holder";
  static final String HOLDER_JOB = "holderJob";
  static final String HOLDER_PROCESS = "holderProcess";

  private final JobKernel32 kernel;
  private final Path file;
  private final String command;
  private JobHolder holder;

  HolderFile(JobKernel32 kernel, Path workDir, String command) {
    this.kernel = kernel;
    this.file = workDir.resolve("job-holder");
    this.command = command;
  }

  /** Hands the job's and process's handles to the holder; the fields to checkpoint. */
  Map<String, String> hold(RunningJob job) {
    try {
      JobHolder h = running();
      return Map.of(
          HOLDER, h.identity().text(),
          HOLDER_JOB, Long.toString(h.keep(job.job())),
          HOLDER_PROCESS, Long.toString(h.keep(job.process())));
    } catch (Win32Exception | UncheckedIOException e) {
      LOG.warn("job {} is not held outside the agent: {}", job.name(), e.getMessage(), e);
      return Map.of();
    }
  }

  /** Our own handles to the job and process the holder holds for {@code fields}, if it can. */
  Optional<HANDLE[]> take(Map<String, String> fields) {
    Optional<JobHolder> h = matching(fields);
    if (h.isEmpty()) {
      return Optional.empty();
    }
    HANDLE job = h.get().take(Long.parseLong(fields.get(HOLDER_JOB)));
    try {
      return Optional.of(
          new HANDLE[] {job, h.get().take(Long.parseLong(fields.get(HOLDER_PROCESS)))});
    } catch (Win32Exception e) {
      kernel.CloseHandle(job);
      throw e;
    }
  }

  /** Closes the holder's handles for {@code fields} (the task has ended). */
  void release(Map<String, String> fields) {
    Optional<JobHolder> h = matching(fields);
    if (h.isPresent()) {
      h.get().release(Long.parseLong(fields.get(HOLDER_JOB)));
      h.get().release(Long.parseLong(fields.get(HOLDER_PROCESS)));
    }
  }

  private synchronized Optional<JobHolder> matching(Map<String, String> fields) {
    String id = fields.get(HOLDER);
    if (id == null || !fields.containsKey(HOLDER_JOB) || !fields.containsKey(HOLDER_PROCESS)) {
      return Optional.empty();
    }
    Optional<JobHolder> h = existing();
    return h.filter(x -> x.identity().text().equals(id));
  }

  /** The recorded holder if it still runs; never starts one. */
  private synchronized Optional<JobHolder> existing() {
    if (holder != null) {
      return Optional.of(holder);
    }
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      holder = JobHolder.find(kernel, JobHolder.Identity.parse(text)).orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignoring a damaged holder record {}: {}", file, e.getMessage());
    }
    return Optional.ofNullable(holder);
  }

  private synchronized JobHolder running() {
    Optional<JobHolder> h = existing();
    if (h.isPresent()) {
      return h.get();
    }
    holder = JobHolder.start(kernel, command);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, holder.identity().text(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      holder.stop();
      holder = null;
      throw new UncheckedIOException("cannot record the job holder in " + file, e);
    }
    return holder;
  }

  /** Lets go of the holder; stops it if no job needs it any more. */
  synchronized void close(boolean idle) {
    if (holder == null) {
      return;
    }
    if (idle) {
      holder.stop();
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete " + file, e);
      }
    } else {
      holder.close();
    }
    holder = null;
  }
}

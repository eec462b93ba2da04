package io.strata.agent.linux.jna;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as {@code /proc/<pid>/stat} shows it: its state letter and start time (clock ticks
 * since boot), which together with the pid identify it even after the pid is reused.
 */
public record ProcStat(long pid, char state, long parentPid, long startTime) {
  private static final Path PROC = Path.of("/proc");

  public static Optional<ProcStat> of(long pid) {
    String text;
    try {
      text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // The process vanished while we read it (ESRCH shows up as an I/O error).
      return Optional.empty();
    }
    return Optional.of(parse(pid, text));
  }

  /** Parses a stat line; the command name (field 2) may hold spaces and parentheses. */
  public static ProcStat parse(long pid, String text) {
    int close = text.lastIndexOf(')');
    String[] rest = text.substring(close + 2).trim().split(" ");
    // rest[0] is field 3 (state); field 22 (starttime) is rest[19].
    return new ProcStat(pid, rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[19]));
  }

  /** Alive and not a zombie. */
  public boolean running() {
    return state != 'Z' && state != 'X' && state != 'x';
  }

  /** True if {@code pid} is running and is the very process that started at {@code startTime}. */
  public static boolean isSameRunningProcess(long pid, long startTime) {
    return pid > 0 && of(pid).map(s -> s.startTime() == startTime && s.running()).orElse(false);
  }
}

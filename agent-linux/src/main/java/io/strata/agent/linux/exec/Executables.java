package io.strata.agent.linux.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the executable of an argv command the way execvp(3) would. */
final class Executables {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private Executables() {}

  /** The file that would run, or empty if none; {@code cwd} resolves relative paths. */
  static Optional<Path> find(String command, String searchPath, Path cwd) {
    if (command.contains("/")) {
      Path p = cwd.resolve(command);
      return runnable(p) ? Optional.of(p) : Optional.empty();
    }
    for (String dir : (searchPath == null ? DEFAULT_PATH : searchPath).split(":")) {
      Path p = (dir.isEmpty() ? cwd : cwd.resolve(dir)).resolve(command);
      if (runnable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static boolean runnable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}

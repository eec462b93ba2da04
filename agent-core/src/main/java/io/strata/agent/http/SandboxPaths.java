package io.strata.agent.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Resolves a requested path inside a sandbox, refusing every way out of it. */
public final class SandboxPaths {
  private SandboxPaths() {}

  /**
   * The file {@code relative} names under {@code root}, or empty if it would leave {@code root}:
   * through {@code ..}, as an absolute path, with a NUL, or through a symlink (checked on the real
   * path when the file exists).
   */
  public static Optional<Path> resolve(Path root, String relative) {
    if (relative.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    Path rel;
    try {
      rel = Path.of(relative);
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    if (rel.isAbsolute()) {
      return Optional.empty();
    }
    Path base = root.toAbsolutePath().normalize();
    Path target = base.resolve(rel).normalize();
    if (!target.startsWith(base)) {
      return Optional.empty();
    }
    if (Files.exists(target)) {
      try {
        if (!target.toRealPath().startsWith(base.toRealPath())) {
          return Optional.empty();
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(target);
  }
}

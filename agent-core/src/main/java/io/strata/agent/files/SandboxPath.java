package io.strata.agent.files;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The components of a requested sandbox path, refusing every way out of the sandbox. */
public final class SandboxPath {
  private SandboxPath() {}

  /**
   * The names {@code relative} is made of, empty components and {@code .} dropped ({@code ""}: the
   * sandbox itself); empty if it is absolute, holds {@code ..}, a NUL or a backslash (a separator
   * on Windows).
   */
  public static Optional<List<String>> components(String relative) {
    if (relative.startsWith("/") || relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (String name : relative.split("/")) {
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        return Optional.empty();
      }
      out.add(name);
    }
    return Optional.of(out);
  }
}

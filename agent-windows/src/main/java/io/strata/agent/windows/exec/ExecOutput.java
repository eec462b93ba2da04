package io.strata.agent.windows.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The output of an exec'd command: its first bytes, then the file goes. */
final class ExecOutput {
  private ExecOutput() {}

  static String readAndDelete(Path file, int limit) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      byte[] head;
      try (InputStream in = Files.newInputStream(file)) {
        head = in.readNBytes(limit);
      }
      Files.deleteIfExists(file);
      return new String(head, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the output of a command in " + file, e);
    }
  }
}

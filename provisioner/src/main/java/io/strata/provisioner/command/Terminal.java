package io.strata.provisioner.command;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the standard streams are a terminal: a progress bar redraws itself with {@code \r} only
 * on a terminal, and a question is asked only when someone can answer it. On Linux the answer is
 * the file behind the descriptor ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere, the JVM's
 * console.
 */
final class Terminal {
  private Terminal() {}

  static boolean stdin() {
    return isTerminal(0);
  }

  static boolean stderr() {
    return isTerminal(2);
  }

  static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    if (Files.isSymbolicLink(link)) {
      try {
        String target = Files.readSymbolicLink(link).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
      } catch (IOException | UnsupportedOperationException e) {
        return console();
      }
    }
    return console();
  }

  /**
   * From JDK 22 {@code System.console()} exists even when the streams are redirected, and {@code
   * Console.isTerminal()} tells; on 21, a console exists only on a terminal.
   */
  private static boolean console() {
    var console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = console.getClass().getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true;
    }
  }
}

package io.strata.agent.windows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test program for real Windows tasks: {@code forever} sleeps (and, unless the JVM runs with
 * -Xrs, survives CTRL_BREAK, which only prints a thread dump); {@code waitfile NAME CODE} exits
 * with CODE once NAME exists; {@code hog} allocates memory without bound.
 */
public final class Sleeper {
  private Sleeper() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "forever" -> Thread.sleep(Long.MAX_VALUE);
      case "waitfile" -> {
        Path file = Path.of(args[1]);
        while (!Files.exists(file)) {
          Thread.sleep(50);
        }
        System.exit(Integer.parseInt(args[2]));
      }
      case "hog" -> {
        List<byte[]> kept = new ArrayList<>();
        while (true) {
          byte[] chunk = new byte[1 << 20];
          for (int i = 0; i < chunk.length; i += 4096) {
            chunk[i] = 1;
          }
          kept.add(chunk);
        }
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}

package io.strata.host;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A process that replaces one file over and over with {@link DurableFiles#write}, alternating two
 * contents of one repeated byte, until it is killed: {@code TornWriter <file> <size>}. It prints
 * {@code ready} once the first write is done.
 */
public final class TornWriter {
  private TornWriter() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int size = Integer.parseInt(args[1]);
    byte[] a = new byte[size];
    byte[] b = new byte[size];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    DurableFiles.write(file, a);
    System.out.println("ready");
    System.out.flush();
    for (long i = 0; ; i++) {
      DurableFiles.write(file, i % 2 == 0 ? b : a, i % 3 != 0);
    }
  }
}

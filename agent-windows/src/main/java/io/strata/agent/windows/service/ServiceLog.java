package io.strata.agent.windows.service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a service's output goes: the SCM gives a service no console, so whatever the agent writes
 * to stdout and stderr (its log) lands in a file, {@code agent.log}, renamed to {@code agent.log.1}
 * (and so on, {@code keep} files) once it passes {@code maxBytes}.
 */
public final class ServiceLog extends OutputStream {
  private final Path file;
  private final long maxBytes;
  private final int keep;
  private OutputStream out;
  private long size;

  ServiceLog(Path file, long maxBytes, int keep) throws IOException {
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
    Files.createDirectories(file.toAbsolutePath().getParent());
    open();
  }

  /** Sends this process's stdout and stderr to {@code file}. Call before anything logs. */
  public static void redirect(Path file, long maxBytes, int keep) throws IOException {
    PrintStream stream =
        new PrintStream(new ServiceLog(file, maxBytes, keep), true, StandardCharsets.UTF_8);
    System.setOut(stream);
    System.setErr(stream);
  }

  private void open() throws IOException {
    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    size = Files.size(file);
  }

  @Override
  public synchronized void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
    if (size > 0 && size + length > maxBytes) {
      rotate();
    }
    out.write(bytes, offset, length);
    size += length;
  }

  private void rotate() throws IOException {
    out.close();
    for (int i = keep - 1; i >= 1; i--) {
      Path older = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(older)) {
        Files.move(
            older,
            file.resolveSibling(file.getFileName() + "." + (i + 1)),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(
        file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}

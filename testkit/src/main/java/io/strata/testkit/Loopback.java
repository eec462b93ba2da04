package io.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Tests talk only to loopback. */
public final class Loopback {
  public static final String HOST = "127.0.0.1";

  private Loopback() {}

  /** A port that was free on 127.0.0.1 a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  /**
   * The first port of {@code size} consecutive ports, below the kernel's ephemeral range (where no
   * client connection or port-0 server lands), that nothing on this host listens on now (a bind of
   * every address, as an agent checks before it offers them). For tests whose agents offer ports.
   */
  public static int freePortBlock(int size) {
    for (int base = 20_000; base + size <= 32_768; base += size) {
      boolean free = true;
      for (int p = base; p < base + size && free; p++) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.setReuseAddress(true);
          probe.bind(new InetSocketAddress(p), 1);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no " + size + " free consecutive ports below 32768");
  }
}

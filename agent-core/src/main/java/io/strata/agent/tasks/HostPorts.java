package io.strata.agent.tasks;

import io.strata.api.PortRange;
import io.strata.api.PortRanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which TCP ports another process listens on, on this host. Where the kernel lists its sockets
 * ({@code /proc/net/tcp} and {@code tcp6}, Linux), the ports of every socket in LISTEN state, on
 * any address: exact, and a few kilobytes to read. Elsewhere, a probe per port that binds the
 * wildcard address with {@code SO_REUSEADDR} as servers do (a bind probe alone misses, on Linux, a
 * listener on one address that did not set {@code SO_REUSEADDR}: measured, hence the kernel's list
 * first).
 */
public final class HostPorts {
  private static final List<Path> PROC_NET_TCP =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

  private HostPorts() {}

  /** The ports of {@code candidates} another process listens on now. */
  public static PortRanges held(PortRanges candidates) {
    Optional<Set<Integer>> listening = listening();
    List<PortRange> held = new ArrayList<>();
    for (PortRange r : candidates.ranges()) {
      for (int p = r.begin(); p <= r.end(); p++) {
        if (listening.isPresent() ? listening.get().contains(p) : bindFails(p)) {
          held.add(PortRange.of(p));
        }
      }
    }
    return PortRanges.of(held);
  }

  /** The first port of {@code ports} another process listens on now, if any. */
  public static OptionalInt firstHeld(PortRanges ports) {
    PortRanges held = held(ports);
    return held.isEmpty() ? OptionalInt.empty() : OptionalInt.of(held.ranges().get(0).begin());
  }

  /** The reason a task whose {@code port} is held fails with. */
  public static String heldMessage(int port) {
    return "port " + port + " is held by another process on this host";
  }

  /** The kernel's listening ports, when it lists them. */
  static Optional<Set<Integer>> listening() {
    Set<Integer> ports = new TreeSet<>();
    boolean read = false;
    for (Path table : PROC_NET_TCP) {
      try {
        // Not Files.readString: /proc files say they are empty, and it then reads one byte.
        ports.addAll(listeningIn(Files.readAllLines(table)));
        read = true;
      } catch (IOException e) {
        // No such table here (no IPv6, or not Linux).
      }
    }
    return read ? Optional.of(ports) : Optional.empty();
  }

  /**
   * The local ports of the sockets in LISTEN state ({@code 0A}) in a {@code /proc/net/tcp} table:
   * {@code sl local_address(hex addr:hex port) rem_address st ...}, after a header line.
   */
  static Set<Integer> listeningIn(List<String> table) {
    Set<Integer> ports = new TreeSet<>();
    for (String line : table.subList(Math.min(1, table.size()), table.size())) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 4 || !f[3].equals("0A")) {
        continue;
      }
      int colon = f[1].lastIndexOf(':');
      try {
        ports.add(Integer.parseInt(f[1].substring(colon + 1), 16));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        // Not a socket line.
      }
    }
    return ports;
  }

  static boolean bindFails(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(port), 1);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}

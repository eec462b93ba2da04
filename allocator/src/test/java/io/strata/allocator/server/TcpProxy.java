package io.strata.allocator.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy a test controls, to partition a client from a server at the socket level: it
 * forwards bytes both ways until {@link #cut} (packets silently dropped: the connections stay open,
 * what arrives is read and thrown away, new connections are accepted and get nothing, as behind a
 * firewall that drops) or {@link #reset} (every connection reset, new ones reset at once); {@link
 * #heal} forwards new connections again and resets those made while cut.
 */
final class TcpProxy implements AutoCloseable {
  enum Mode {
    FORWARD,
    HOLD,
    DROP,
    RESET
  }

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile Mode mode = Mode.FORWARD;
  private volatile boolean closed;

  /** A proxy on 127.0.0.1 (a free port) to {@code 127.0.0.1:targetPort}. */
  TcpProxy(int targetPort) {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.acceptor =
        Thread.ofPlatform().daemon().name("tcp-proxy-" + port()).unstarted(this::acceptLoop);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** {@code 127.0.0.1:port}, for a connect string. */
  String address() {
    return "127.0.0.1:" + port();
  }

  /** From now on nothing gets through either way; every connection stays open. */
  void cut() {
    mode = Mode.DROP;
    links.forEach(l -> l.cut = true);
  }

  /**
   * From now on what arrives either way is kept, not forwarded (as a congested or stalled network
   * path keeps packets), until {@link #release}.
   */
  void hold() {
    mode = Mode.HOLD;
    links.forEach(l -> l.held = true);
  }

  /** Delivers what was held, in order, and forwards again. */
  void release() {
    mode = Mode.FORWARD;
    links.forEach(Link::release);
  }

  /** Bytes held so far from clients towards the target. */
  int heldTowardsTarget() {
    return links.stream().mapToInt(l -> l.towardsTarget.size()).sum();
  }

  /** Resets every connection now and every new one at once. */
  void reset() {
    mode = Mode.RESET;
    links.forEach(Link::reset);
  }

  /** Forwards again: connections made or cut meanwhile are reset, new ones go through. */
  void heal() {
    links.stream().filter(l -> l.cut).forEach(Link::reset);
    mode = Mode.FORWARD;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Mode now = mode;
      if (now == Mode.RESET) {
        resetQuietly(client);
        continue;
      }
      Link link = new Link(client, now == Mode.DROP);
      links.add(link);
      if (!link.cut) {
        try {
          link.server = new Socket();
          link.server.connect(target, 5_000);
        } catch (IOException e) {
          link.reset();
          continue;
        }
      }
      link.start();
    }
  }

  /** One client connection and, unless it came while cut, its connection to the target. */
  private final class Link {
    final Socket client;
    volatile Socket server;

    /** Cut: nothing forwarded any more (what was dropped broke its stream), reset on heal. */
    volatile boolean cut;

    /** Held: what arrives is kept in these buffers until released. */
    boolean held;

    final java.io.ByteArrayOutputStream towardsTarget = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream towardsClient = new java.io.ByteArrayOutputStream();

    Link(Socket client, boolean cut) {
      this.client = client;
      this.cut = cut;
      this.held = mode == Mode.HOLD;
    }

    /** Writes {@code n} bytes on towards {@code to}, or keeps them while held. */
    synchronized void forward(Socket to, byte[] buffer, int n) throws IOException {
      if (held) {
        (to == server ? towardsTarget : towardsClient).write(buffer, 0, n);
        return;
      }
      OutputStream out = to.getOutputStream();
      out.write(buffer, 0, n);
      out.flush();
    }

    synchronized void release() {
      held = false;
      try {
        if (server != null) {
          server.getOutputStream().write(towardsTarget.toByteArray());
          server.getOutputStream().flush();
        }
        client.getOutputStream().write(towardsClient.toByteArray());
        client.getOutputStream().flush();
      } catch (IOException e) {
        close(); // a side went away meanwhile
      }
      towardsTarget.reset();
      towardsClient.reset();
    }

    void start() {
      pump(client, server);
      if (server != null) {
        pump(server, client);
      }
    }

    private void pump(Socket from, Socket to) {
      Thread.ofPlatform()
          .daemon()
          .name("tcp-proxy-pump-" + port())
          .start(
              () -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                  InputStream in = from.getInputStream();
                  while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                      break;
                    }
                    if (cut || to == null) {
                      continue;
                    }
                    forward(to, buffer, n);
                  }
                  if (!cut && to != null) {
                    to.shutdownOutput();
                  }
                } catch (IOException e) {
                  // reset or closed: end this direction
                }
                if (!cut) {
                  close();
                }
              });
    }

    void reset() {
      resetQuietly(client);
      Socket s = server;
      if (s != null) {
        resetQuietly(s);
      }
      links.remove(this);
    }

    void close() {
      closeQuietly(client);
      Socket s = server;
      if (s != null) {
        closeQuietly(s);
      }
      links.remove(this);
    }
  }

  private static void resetQuietly(Socket s) {
    try {
      s.setSoLinger(true, 0); // close sends an RST
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(java.io.Closeable s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    links.forEach(Link::reset);
  }
}

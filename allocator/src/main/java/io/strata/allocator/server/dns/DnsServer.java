package io.strata.allocator.server.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * Serves the zone over UDP and TCP on one port. In-zone queries are answered from {@link
 * Authority#zone()} while this allocator leads, and forwarded to the leader's DNS server while it
 * is a standby (SERVFAIL when no leader is known, so that a resolver tries its next server). Other
 * names are forwarded to the upstream server if one is set, else REFUSED.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  private static final int FORWARD_TIMEOUT_MILLIS = 2_000;
  private static final int TCP_IDLE_MILLIS = 10_000;

  /** Where answers come from. Both methods must be cheap and must not block for long. */
  public interface Authority {
    /** The zone while this allocator leads; null otherwise. */
    Zone zone();

    /** The leader's DNS server while another allocator leads; null if none is known. */
    InetSocketAddress leader();
  }

  private final Name origin;
  private final Authority authority;
  private final InetSocketAddress upstream;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean closed;

  private DnsServer(
      Name origin,
      Authority authority,
      InetSocketAddress upstream,
      DatagramSocket udp,
      ServerSocket tcp) {
    this.origin = origin;
    this.authority = authority;
    this.upstream = upstream;
    this.udp = udp;
    this.tcp = tcp;
  }

  /**
   * Binds UDP and TCP on {@code host:port} (port 0: a free port, the same for both) and starts
   * serving.
   *
   * @param upstream where to forward names outside the zone; null to refuse them
   * @throws IOException if the port cannot be bound
   */
  public static DnsServer start(
      String host, int port, Name origin, Authority authority, InetSocketAddress upstream)
      throws IOException {
    InetAddress bind = InetAddress.getByName(host);
    IOException last = null;
    for (int attempt = 0; attempt < (port == 0 ? 20 : 1); attempt++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(bind, port));
      try {
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        try {
          tcp.bind(new InetSocketAddress(bind, udp.getLocalPort()), 128);
        } catch (IOException e) {
          tcp.close();
          throw e;
        }
        DnsServer server = new DnsServer(origin, authority, upstream, udp, tcp);
        Thread.ofPlatform().daemon().name("dns-udp-" + udp.getLocalPort()).start(server::udpLoop);
        Thread.ofPlatform().daemon().name("dns-tcp-" + udp.getLocalPort()).start(server::tcpLoop);
        return server;
      } catch (IOException e) {
        udp.close();
        last = e; // the TCP port was taken: try another free UDP port
      }
    }
    throw last;
  }

  public int port() {
    return udp.getLocalPort();
  }

  private void udpLoop() {
    byte[] buffer = new byte[65_535];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("DNS UDP receive failed: {}", e.toString());
        }
        continue;
      }
      byte[] in = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getLength());
      InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
      Message query = parse(in);
      if (query == null) {
        continue;
      }
      if (local(query)) {
        reply(answerLocally(query).toWire(Answers.udpLimit(query)), from);
      } else {
        workers.execute(() -> reply(forward(query, in, true), from));
      }
    }
  }

  private void reply(byte[] out, InetSocketAddress to) {
    if (out == null) {
      return;
    }
    try {
      udp.send(new DatagramPacket(out, out.length, to));
    } catch (IOException e) {
      if (!closed) {
        LOG.debug("DNS UDP send to {} failed: {}", to, e.toString());
      }
    }
  }

  private void tcpLoop() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        workers.execute(() -> serveTcp(s));
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("DNS TCP accept failed: {}", e.toString());
        }
      }
    }
  }

  private void serveTcp(Socket s) {
    try (s) {
      s.setSoTimeout(TCP_IDLE_MILLIS);
      DataInputStream in = new DataInputStream(s.getInputStream());
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      while (!closed) {
        int length = in.readUnsignedShort();
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
          return;
        }
        Message query = parse(bytes);
        if (query == null) {
          return;
        }
        byte[] answer =
            local(query) ? answerLocally(query).toWire(65_535) : forward(query, bytes, false);
        if (answer == null) {
          return;
        }
        out.writeShort(answer.length);
        out.write(answer);
        out.flush();
      }
    } catch (EOFException | SocketTimeoutException | SocketException e) {
      // the client is done, idle too long or gone
    } catch (IOException e) {
      LOG.debug("DNS TCP connection failed: {}", e.toString());
    }
  }

  /** Null for what is not a DNS message at all (dropped); FORMERR needs a header to echo. */
  private static Message parse(byte[] in) {
    try {
      return new Message(in);
    } catch (IOException e) {
      return null;
    }
  }

  /** True if this allocator answers the query itself (no forwarding needed). */
  private boolean local(Message query) {
    if (!Answers.inZone(query, origin)) {
      return upstream == null;
    }
    return authority.zone() != null || authority.leader() == null;
  }

  private Message answerLocally(Message query) {
    if (!Answers.inZone(query, origin)) {
      return Answers.error(query, Rcode.REFUSED);
    }
    Zone zone = authority.zone();
    return zone == null ? Answers.error(query, Rcode.SERVFAIL) : Answers.answer(query, zone);
  }

  /** The upstream's (or the leader's) answer, as it came; SERVFAIL if it does not answer. */
  private byte[] forward(Message query, byte[] bytes, boolean overUdp) {
    InetSocketAddress target = Answers.inZone(query, origin) ? authority.leader() : upstream;
    if (target == null) {
      return answerLocally(query).toWire(overUdp ? Answers.udpLimit(query) : 65_535);
    }
    try {
      return overUdp
          ? Forwarding.udp(bytes, target, FORWARD_TIMEOUT_MILLIS)
          : Forwarding.tcp(bytes, target, FORWARD_TIMEOUT_MILLIS);
    } catch (IOException e) {
      LOG.debug("DNS forwarding to {} failed: {}", target, e.toString());
      Message fail = Answers.error(query, Rcode.SERVFAIL);
      return fail.toWire(overUdp ? Answers.udpLimit(query) : 65_535);
    }
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      LOG.debug("closing the DNS TCP socket: {}", e.toString());
    }
    workers.shutdownNow();
  }

  /** The message id: its first two bytes (0 if there are fewer). */
  static int id(byte[] message) {
    return message.length < 2 ? 0 : ((message[0] & 0xff) << 8) | (message[1] & 0xff);
  }
}

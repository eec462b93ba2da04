package io.strata.allocator.server.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A query passed on as it came (same id), and the answer read back: one exchange per call. */
final class Forwarding {
  private Forwarding() {}

  static byte[] udp(byte[] query, InetSocketAddress to, int timeoutMillis) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMillis);
      s.connect(to);
      s.send(new DatagramPacket(query, query.length));
      byte[] buffer = new byte[65_535];
      DatagramPacket in = new DatagramPacket(buffer, buffer.length);
      int id = DnsServer.id(query);
      while (true) {
        s.receive(in); // SocketTimeoutException after timeoutMillis
        byte[] answer = java.util.Arrays.copyOf(in.getData(), in.getLength());
        if (answer.length >= 12 && DnsServer.id(answer) == id) {
          return answer;
        }
      }
    }
  }

  static byte[] tcp(byte[] query, InetSocketAddress to, int timeoutMillis) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(to, timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readUnsignedShort();
      return in.readNBytes(length);
    }
  }
}

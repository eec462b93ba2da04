package io.strata.allocator.server.dns;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/** The {@code dnsUpstream} setting: {@code ip:port}, IPv6 as {@code [::1]:53}. */
public final class Upstream {
  private Upstream() {}

  /** The address, or null if {@code text} is not an IP literal and a port. */
  public static InetSocketAddress parse(String text) {
    if (text == null) {
      return null;
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      return null; // IPv6 needs brackets
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 1 || port > 65535) {
        return null;
      }
      return new InetSocketAddress(Address.getByAddress(host), port);
    } catch (NumberFormatException | UnknownHostException e) {
      return null;
    }
  }
}

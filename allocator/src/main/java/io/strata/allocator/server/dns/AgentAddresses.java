package io.strata.allocator.server.dns;

import io.strata.api.operator.AgentView;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.xbill.DNS.Address;

/**
 * An agent's addresses, as DNS answers them: the host of the endpoint it advertised when it
 * registered (the address it serves on, {@code --advertise} or its listen address), else its
 * hostname. An IP literal is taken as is; a name is resolved by this machine's resolver (the JVM
 * caches answers for 30 s, failures for 10 s), which may block: only the zone's refresh calls it.
 * An agent whose host does not resolve gets no record.
 */
public final class AgentAddresses {
  private AgentAddresses() {}

  public static List<InetAddress> of(AgentView agent) {
    String host = endpointHost(agent.info().endpoint());
    List<InetAddress> out = host == null ? List.of() : resolve(host);
    return out.isEmpty() ? resolve(agent.info().hostname()) : out;
  }

  static String endpointHost(String endpoint) {
    if (endpoint == null) {
      return null;
    }
    try {
      String host = URI.create(endpoint).getHost();
      if (host != null && host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return host;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A host's addresses: an IP literal as is, a name as this machine resolves it; none if not. */
  public static List<InetAddress> resolve(String host) {
    if (host == null || host.isBlank()) {
      return List.of();
    }
    try {
      return List.of(Address.getByAddress(host)); // a literal: no lookup
    } catch (UnknownHostException notLiteral) {
      try {
        return List.of(InetAddress.getAllByName(host)).stream()
            .filter(a -> !a.isAnyLocalAddress())
            .toList();
      } catch (UnknownHostException | SecurityException e) {
        return List.of();
      }
    }
  }
}

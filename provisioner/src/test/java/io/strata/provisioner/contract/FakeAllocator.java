package io.strata.provisioner.contract;

import com.sun.net.httpserver.HttpServer;
import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.Os;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.json.Codec;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * The allocator's {@code GET /v1/agents} on 127.0.0.1, listing as registered the machines a fake
 * cloud has booted: what the bootstrap script would have achieved on a real machine. Provisioner
 * tests ask it through the real {@code OperatorClient}.
 */
public final class FakeAllocator implements AutoCloseable {
  private final HttpServer server;

  public FakeAllocator(Supplier<List<String>> booted) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/v1/agents",
        ex -> {
          try (ex) {
            List<AgentView> agents =
                booted.get().stream()
                    .filter(name -> !name.contains("-alloc-"))
                    .map(FakeAllocator::view)
                    .toList();
            byte[] body = Codec.JSON.encodeBytes(agents);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
        });
    server.start();
  }

  private static AgentView view(String hostname) {
    AgentInfo info =
        new AgentInfo(
            hostname,
            hostname.contains("win") ? Os.WINDOWS : Os.LINUX,
            "amd64",
            ResourcePool.unreserved(Resources.of(2000, 4L << 30)),
            null,
            null,
            null,
            null);
    return new AgentView(
        AgentId.of("agent-" + hostname),
        info,
        AgentState.ACTIVE,
        info.resources(),
        ResourcePool.EMPTY,
        info.resources(),
        0,
        null,
        null,
        null);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

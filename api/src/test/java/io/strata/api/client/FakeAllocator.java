package io.strata.api.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.testkit.Loopback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An allocator's HA behaviour on a real loopback HTTP server: as the leader it answers every
 * request with what it received ({@code "<name> <method> <path> <body>"}); as a standby it
 * redirects with 307 to the leader it names, or answers 503 with Retry-After when it knows none.
 * The role can change while it runs. {@code /stream} answers NDJSON lines until closed.
 */
final class FakeAllocator implements AutoCloseable {
  final String name;
  final List<String> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile String redirectTo;
  private volatile boolean noLeader;

  FakeAllocator(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://" + Loopback.HOST + ":" + server.getAddress().getPort());
  }

  FakeAllocator lead() {
    redirectTo = null;
    noLeader = false;
    return this;
  }

  /** A standby redirecting to {@code leader} (a base URL, or any Location prefix). */
  FakeAllocator standbyFor(String leader) {
    redirectTo = leader;
    noLeader = false;
    return this;
  }

  FakeAllocator standbyWithoutLeader() {
    redirectTo = null;
    noLeader = true;
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target = ex.getRequestURI().toString();
    received.add(ex.getRequestMethod() + " " + target + " " + body);
    String leader = redirectTo;
    if (leader != null) {
      ex.getResponseHeaders().add("Location", leader + target);
      answer(ex, 307, "{\"status\":307,\"title\":\"Not the leader\"}");
      return;
    }
    if (noLeader) {
      ex.getResponseHeaders().add("Retry-After", "1");
      answer(ex, 503, "{\"status\":503,\"title\":\"No leader\",\"detail\":\"no leader yet\"}");
      return;
    }
    if (ex.getRequestURI().getPath().equals("/stream")) {
      ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      out.write(("\"" + name + "\"\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return; // left open: the test closes the stream
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    answer(
        ex,
        200,
        "\""
            + name
            + " "
            + ex.getRequestMethod()
            + " "
            + target
            + " "
            + body.replace("\"", "'")
            + " "
            + auth
            + "\"");
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  /** Stops listening: connections are refused from now on. */
  @Override
  public void close() {
    server.stop(0);
  }
}

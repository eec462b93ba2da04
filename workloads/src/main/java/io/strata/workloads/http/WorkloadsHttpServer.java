package io.strata.workloads.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Serves {@link WorkloadsApi} on its own port (the JDK's HTTP server), for frameworks run as a
 * separate process. Every request must carry one of {@code tokens} as a bearer token.
 */
public final class WorkloadsHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final WorkloadsApi api;
  private final Set<String> tokens;

  public WorkloadsHttpServer(WorkloadsApi api, InetSocketAddress address, Set<String> tokens)
      throws IOException {
    this.api = api;
    this.tokens = Set.copyOf(tokens);
    this.server = HttpServer.create(address, 64);
    server.createContext("/", this::serve);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      WorkloadsApi.Response response;
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
        response =
            new WorkloadsApi.Response(
                401, Problem.of(401, "Unauthorized", "a valid bearer token is required"));
      } else if (!WorkloadsApi.owns(path)) {
        response =
            new WorkloadsApi.Response(
                404,
                Problem.of(
                    404, "Not found", "no route " + exchange.getRequestMethod() + " " + path));
      } else {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readNBytes(Codec.MAX_DOCUMENT_BYTES + 1);
        }
        response = api.handle(exchange.getRequestMethod(), path, body);
      }
      byte[] bytes =
          response.body() == null
              ? new byte[0]
              : Codec.JSON.encode(response.body()).getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .set("Content-Type", response.isProblem() ? Problem.MEDIA_TYPE : "application/json");
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.startsWith("Bearer ")) {
      return false;
    }
    byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String t : tokens) {
      ok |= MessageDigest.isEqual(presented, t.getBytes(StandardCharsets.UTF_8));
    }
    return ok;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

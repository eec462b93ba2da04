package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.strata.cli.Cli;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata logs} against one loopback HTTP server playing the allocator (which grants an agent
 * access token), the services framework and an agent's sandbox API (which takes only that token):
 * tails count lines, and an app's id prints every instance's output, prefixed.
 */
class LogsCommandTest {
  static final Map<String, String> OUTPUT =
      Map.of(
          "web.v1.a", "one\ntwo\nthree\nfour\n",
          "web.v1.b", "alpha\nbeta\ngamma"); // no newline at the end

  /** The agents' access token the fake allocator grants; its sandbox routes take only that. */
  static final String ACCESS = "sat1.fake-access-token";

  @TempDir Path tmp;
  HttpServer server;
  Map<String, String> env;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    String self = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getPath();
          String query = ex.getRequestURI().getQuery();
          String body;
          int status = 200;
          boolean agentRoute = path.startsWith("/v1/sandboxes");
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          if (agentRoute && !("Bearer " + ACCESS).equals(auth)) {
            status = 401;
            body = "{\"status\":401,\"title\":\"Unauthorized\"}";
          } else if (path.equals("/v1/agent-access") && ex.getRequestMethod().equals("POST")) {
            body =
                "{\"token\":\""
                    + ACCESS
                    + "\",\"scope\":\"operator\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}";
          } else if (path.equals("/v1/tasks")) {
            body = "[]";
          } else if (path.equals("/v1/agents")) {
            body =
                "[{\"id\":\"a1\",\"state\":\"ACTIVE\",\"activeTasks\":0,\"info\":{\"hostname\":\"h\","
                    + "\"os\":\"linux\",\"arch\":\"amd64\",\"resources\":{},\"endpoint\":\""
                    + self
                    + "\"}}]";
          } else if (path.equals("/v1/apps/web")) {
            body =
                "{\"id\":\"web\",\"tasks\":[{\"id\":\"web.v1.a\",\"agentId\":\"a1\"},"
                    + "{\"id\":\"web.v1.b\",\"agentId\":\"a1\"}]}";
          } else if (path.startsWith("/v1/apps/") || path.startsWith("/v1/jobs/")) {
            status = 404;
            body = "{\"status\":404,\"title\":\"Not Found\"}";
          } else if (path.equals("/v1/sandboxes")) {
            String task = query.substring("taskId=".length());
            body =
                "[{\"taskId\":\""
                    + task
                    + "\",\"containerId\":\"c-"
                    + task
                    + "\",\"modifiedAt\":\"2026-01-01T00:00:00Z\"}]";
          } else if (path.endsWith("/files/")) {
            String task = path.substring("/v1/sandboxes/c-".length(), path.length() - 7);
            body = "[{\"name\":\"stdout\",\"size\":" + OUTPUT.get(task).length() + "}]";
          } else if (path.endsWith("/files/stdout")) {
            String task = path.substring("/v1/sandboxes/c-".length(), path.length() - 13);
            String text = OUTPUT.get(task);
            long offset = 0;
            long length = Long.MAX_VALUE;
            for (String kv : query.split("&")) {
              String[] p = kv.split("=");
              if (p[0].equals("offset")) {
                offset = Long.parseLong(p[1]);
              } else if (p[0].equals("length")) {
                length = Long.parseLong(p[1]);
              }
            }
            int from = (int) Math.min(offset, text.length());
            int to = (int) Math.min(text.length(), from + Math.min(length, Integer.MAX_VALUE));
            body = text.substring(from, to);
          } else {
            status = 404;
            body = "{\"status\":404,\"title\":\"Not Found\"}";
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
          if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
          }
          ex.close();
        });
    server.start();
    env =
        Map.of(
            "STRATA_URL",
            self,
            "STRATA_TOKEN",
            "t",
            "STRATA_CONFIG",
            tmp.resolve("none.yaml").toString(),
            "STRATA_DATA_DIR",
            tmp.resolve("nodata").toString());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void tailCountsLines() {
    Cli.Result r = Cli.run(env, "logs", "web.v1.a", "--tail", "2");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("three\nfour\n");
    assertThat(Cli.run(env, "logs", "web.v1.b", "--tail", "1").out()).isEqualTo("gamma");
    assertThat(Cli.run(env, "logs", "web.v1.a", "--tail", "10").out())
        .isEqualTo(OUTPUT.get("web.v1.a"));
    assertThat(Cli.run(env, "logs", "web.v1.a", "--tail", "0").out()).isEmpty();
  }

  @Test
  void anAppsIdPrintsEveryInstancePrefixed() {
    Cli.Result r = Cli.run(env, "logs", "web", "--tail", "1");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("[web.v1.a] four\n[web.v1.b] gamma\n");
    Cli.Result all = Cli.run(env, "logs", "web");
    assertThat(all.out().lines()).hasSize(7).allMatch(l -> l.startsWith("[web.v1."));
    assertThat(Cli.run(env, "logs", "nope").code()).isEqualTo(3);
  }

  @Test
  void tailStartFindsTheLastLines() {
    byte[] text = "a\nbb\nccc\n".getBytes(StandardCharsets.UTF_8);
    assertThat(LogsCommand.tailStart(text, 1)).isEqualTo(5);
    assertThat(LogsCommand.tailStart(text, 2)).isEqualTo(2);
    assertThat(LogsCommand.tailStart(text, 3)).isEqualTo(-1); // starts before: read more
    assertThat(LogsCommand.tailStart("x".getBytes(StandardCharsets.UTF_8), 1)).isEqualTo(-1);
  }
}

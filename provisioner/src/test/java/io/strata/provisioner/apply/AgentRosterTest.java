package io.strata.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.strata.api.client.ApiException;
import io.strata.provisioner.contract.FakeAllocator;
import io.strata.testkit.Loopback;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Readiness with an HA group: the operator URLs are asked in turn until one answers. */
class AgentRosterTest {
  /** An allocator on loopback answering every request with {@code status} and headers. */
  private static HttpServer answering(int status, List<String> asked, String... headers)
      throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 0);
    server.createContext(
        "/",
        ex -> {
          asked.add(ex.getRequestURI().getPath());
          for (int i = 0; i + 1 < headers.length; i += 2) {
            ex.getResponseHeaders().add(headers[i], headers[i + 1]);
          }
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
    return server;
  }

  private static String url(HttpServer server) {
    return "http://" + Loopback.HOST + ":" + server.getAddress().getPort();
  }

  @Test
  void theFirstAllocatorThatAnswersCounts() throws Exception {
    String privateAddress = "http://" + Loopback.HOST + ":" + Loopback.freePort();
    List<String> standbyAsked = new CopyOnWriteArrayList<>();
    List<String> neverAsked = new CopyOnWriteArrayList<>();
    HttpServer standby = answering(307, standbyAsked, "Location", privateAddress + "/v1/agents");
    HttpServer never = answering(500, neverAsked);
    try (FakeAllocator leader = new FakeAllocator(() -> List.of("c-linux-0"))) {
      AgentRoster roster =
          AgentRoster.operatorApi()
              .open(url(standby) + "," + leader.url() + "," + url(never), "t0k", null);
      try {
        assertThat(roster.registered()).containsExactly("c-linux-0");
      } finally {
        roster.close();
      }
      assertThat(standbyAsked).containsExactly("/v1/agents");
      assertThat(neverAsked).isEmpty();
    } finally {
      standby.stop(0);
      never.stop(0);
    }
  }

  @Test
  void whenNoneAnswersTheLastFailureIsReported() throws Exception {
    String down = "http://" + Loopback.HOST + ":" + Loopback.freePort();
    HttpServer noLeader = answering(503, new CopyOnWriteArrayList<>(), "Retry-After", "0");
    try {
      AgentRoster roster = AgentRoster.operatorApi().open(down + "," + url(noLeader), "t0k", null);
      try {
        assertThatThrownBy(roster::registered)
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
      } finally {
        roster.close();
      }
    } finally {
      noLeader.stop(0);
    }
  }

  @Test
  void aListOfAllocatorsIsAskedThroughTheDeadOneAndTheStandbysRedirect() throws Exception {
    try (FakeAllocator leader = new FakeAllocator(() -> List.of("node-1", "node-2"))) {
      HttpServer standby = HttpServer.create(new InetSocketAddress(Loopback.HOST, 0), 0);
      standby.createContext(
          "/",
          ex -> {
            ex.getResponseHeaders().add("Location", leader.url() + ex.getRequestURI());
            ex.sendResponseHeaders(307, -1);
            ex.close();
          });
      standby.start();
      try {
        String dead = "http://" + Loopback.HOST + ":" + Loopback.freePort();
        String standbyUrl = "http://" + Loopback.HOST + ":" + standby.getAddress().getPort();
        AgentRoster roster = AgentRoster.operatorApi().open(dead + "," + standbyUrl, "t0k", null);
        try {
          assertThat(roster.registered()).containsExactlyInAnyOrder("node-1", "node-2");
        } finally {
          roster.close();
        }
      } finally {
        standby.stop(0);
      }
    }
  }
}

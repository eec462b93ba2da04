package io.strata.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.strata.provisioner.contract.FakeAllocator;
import io.strata.testkit.Loopback;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Readiness with an HA group: the operator URLs are asked in turn until one answers. */
class AgentRosterTest {
  @Test
  void theFirstAllocatorThatAnswersCounts() {
    List<String> asked = new ArrayList<>();
    AgentRoster standby =
        () -> {
          asked.add("standby");
          throw new IllegalStateException("307 to an unreachable private address");
        };
    AgentRoster leader =
        () -> {
          asked.add("leader");
          return Set.of("c-linux-0");
        };
    AgentRoster never =
        () -> {
          asked.add("never");
          return Set.of();
        };
    assertThat(AgentRoster.firstAnswering(List.of(standby, leader, never)).registered())
        .containsExactly("c-linux-0");
    assertThat(asked).containsExactly("standby", "leader");
  }

  @Test
  void whenNoneAnswersTheLastFailureIsReported() {
    AgentRoster down =
        () -> {
          throw new IllegalStateException("connection refused");
        };
    AgentRoster noLeader =
        () -> {
          throw new IllegalStateException("503 no leader");
        };
    assertThatThrownBy(() -> AgentRoster.firstAnswering(List.of(down, noLeader)).registered())
        .hasMessage("503 no leader");
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

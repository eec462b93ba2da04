package io.strata.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.strata.provisioner.contract.FakeAllocator;
import io.strata.testkit.Loopback;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readiness check asks whichever allocator leads (HA addresses). */
class AgentRosterTest {

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

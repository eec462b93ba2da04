package io.strata.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.PortRanges;
import io.strata.testkit.Loopback;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortsTest {
  @Test
  void theKernelsTableGivesTheListeningPortsOnAnyAddress() {
    List<String> table =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue",
            "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0",
            "   1: 0100007F:7918 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0",
            "   2: 0100007F:7919 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0",
            "   3: 0000000000000000FFFF00000100007F:7B0C 00000000000000000000000000000000:0000 0A 0");
    // 2024 and 31000 listen; 31001 is a connection's end; 31500 listens on IPv4-mapped ::1.
    assertThat(HostPorts.listeningIn(table)).containsExactly(2024, 31000, 31500);
  }

  @Test
  void aListenerOnOneAddressWithoutReuseIsFoundEitherWay() throws Exception {
    int base = Loopback.freePortBlock(3);
    // A listener that did not set SO_REUSEADDR, on loopback only: a wildcard bind probe with
    // SO_REUSEADDR succeeds beside it on Linux, yet a task's server could not bind there.
    try (ServerSocket other = new ServerSocket()) {
      other.setReuseAddress(false);
      other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), base + 1), 1);
      assertThat(HostPorts.held(PortRanges.range(base, base + 2)))
          .isEqualTo(PortRanges.range(base + 1, base + 1));
      assertThat(HostPorts.firstHeld(PortRanges.range(base, base + 2))).hasValue(base + 1);
    }
    assertThat(HostPorts.held(PortRanges.range(base, base + 2))).isEqualTo(PortRanges.EMPTY);
    assertThat(HostPorts.firstHeld(PortRanges.range(base, base + 2))).isEmpty();
  }

  @Test
  void connectionsLingeringOnAPortDoNotHoldIt() throws Exception {
    int port = Loopback.freePortBlock(1);
    try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      try (java.net.Socket client = new java.net.Socket("127.0.0.1", port);
          java.net.Socket accepted = server.accept()) {
        accepted.close(); // the server's end closes first: TIME_WAIT on the port
      }
    }
    assertThat(HostPorts.held(PortRanges.range(port, port))).isEqualTo(PortRanges.EMPTY);
  }
}

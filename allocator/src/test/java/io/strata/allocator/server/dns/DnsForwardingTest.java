package io.strata.allocator.server.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Forwarding over loopback only: names outside the zone to a fake upstream (another server on
 * 127.0.0.1 serving {@code example.}), and a standby's zone queries to the leader's server.
 */
class DnsForwardingTest {
  static final Name STRATA = DnsNames.origin("strata.");
  static final Name EXAMPLE = DnsNames.origin("example.");

  static DnsServer.Authority leading(Zone zone) {
    return new DnsServer.Authority() {
      @Override
      public Zone zone() {
        return zone;
      }

      @Override
      public InetSocketAddress leader() {
        return null;
      }
    };
  }

  static DnsServer.Authority standby(InetSocketAddress leader) {
    return new DnsServer.Authority() {
      @Override
      public Zone zone() {
        return null;
      }

      @Override
      public InetSocketAddress leader() {
        return leader;
      }
    };
  }

  static Zone empty(Name origin, long serial) throws Exception {
    return Zone.of(
        origin,
        List.of(),
        List.of(),
        java.util.Map.of(),
        List.of(InetAddress.getByName("127.0.0.9")),
        5,
        serial);
  }

  @Test
  void namesOutsideTheZoneGoToTheUpstreamOrAreRefused() throws Exception {
    try (DnsServer upstream =
            DnsServer.start("127.0.0.1", 0, EXAMPLE, leading(empty(EXAMPLE, 42)), null);
        DnsServer forwarding =
            DnsServer.start(
                "127.0.0.1",
                0,
                STRATA,
                leading(empty(STRATA, 1)),
                new InetSocketAddress("127.0.0.1", upstream.port()));
        DnsServer refusing =
            DnsServer.start("127.0.0.1", 0, STRATA, leading(empty(STRATA, 1)), null)) {
      for (boolean tcp : new boolean[] {false, true}) {
        Message forwarded = query(forwarding.port(), "example.", Type.SOA, tcp);
        assertThat(forwarded.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(((SOARecord) forwarded.getSection(Section.ANSWER).get(0)).getSerial())
            .isEqualTo(42);
        assertThat(query(forwarding.port(), "nope.example.", Type.A, tcp).getRcode())
            .isEqualTo(Rcode.NXDOMAIN);
        // its own zone stays its own
        assertThat(
                ((SOARecord)
                        query(forwarding.port(), "strata.", Type.SOA, tcp)
                            .getSection(Section.ANSWER)
                            .get(0))
                    .getSerial())
            .isEqualTo(1);
        assertThat(query(refusing.port(), "example.", Type.SOA, tcp).getRcode())
            .isEqualTo(Rcode.REFUSED);
      }
    }
  }

  @Test
  void anUpstreamThatDoesNotAnswerIsServfail() throws Exception {
    int dead;
    try (java.net.DatagramSocket s =
        new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      dead = s.getLocalPort(); // closed again: nothing listens there
    }
    try (DnsServer forwarding =
        DnsServer.start(
            "127.0.0.1",
            0,
            STRATA,
            leading(empty(STRATA, 1)),
            new InetSocketAddress("127.0.0.1", dead))) {
      assertThat(query(forwarding.port(), "example.", Type.A, false).getRcode())
          .isEqualTo(Rcode.SERVFAIL);
      assertThat(query(forwarding.port(), "example.", Type.A, true).getRcode())
          .isEqualTo(Rcode.SERVFAIL);
    }
  }

  @Test
  void aStandbyPassesZoneQueriesToTheLeaderAndIsServfailWithoutOne() throws Exception {
    try (DnsServer leader =
            DnsServer.start("127.0.0.1", 0, STRATA, leading(empty(STRATA, 9)), null);
        DnsServer standby =
            DnsServer.start(
                "127.0.0.1",
                0,
                STRATA,
                standby(new InetSocketAddress("127.0.0.1", leader.port())),
                null);
        DnsServer orphan = DnsServer.start("127.0.0.1", 0, STRATA, standby(null), null)) {
      for (boolean tcp : new boolean[] {false, true}) {
        Message answer = query(standby.port(), "strata.", Type.SOA, tcp);
        assertThat(answer.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(((SOARecord) answer.getSection(Section.ANSWER).get(0)).getSerial()).isEqualTo(9);
        assertThat(query(standby.port(), "web.services.strata.", Type.A, tcp).getRcode())
            .isEqualTo(Rcode.NXDOMAIN);
        assertThat(query(orphan.port(), "strata.", Type.SOA, tcp).getRcode())
            .isEqualTo(Rcode.SERVFAIL);
      }
    }
  }

  static Message query(int port, String name, int type, boolean tcp) throws IOException {
    SimpleResolver resolver = new SimpleResolver("127.0.0.1");
    resolver.setPort(port);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }
}

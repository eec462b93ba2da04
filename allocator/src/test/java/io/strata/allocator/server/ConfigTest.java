package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.allocator.authz.Acls;
import io.strata.allocator.authz.Action;
import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  static java.util.List<String> fields(Runnable r) {
    try {
      r.run();
    } catch (ValidationException e) {
      return e.violations().stream().map(Violation::field).toList();
    }
    throw new AssertionError("expected a ValidationException");
  }

  @Test
  void everyInvalidFieldIsNamed() {
    assertThat(
            fields(
                () ->
                    AllocatorConfig.parse(
                        """
                        port: 70000
                        joinToken: short
                        agentHeartbeatIntervalMillis: 5000
                        agentUnreachableAfterMillis: 1000
                        allocationIntervalMillis: 0
                        removedIdsMaxAgeMillis: 10
                        removedIdsMaxCount: 0
                        principals:
                          - {name: ops, token: tiny, roles: ["Bad Role"]}
                        colour: blue
                        """)))
        .contains(
            "dataDir",
            "port",
            "joinToken",
            "agentUnreachableAfterMillis",
            "allocationIntervalMillis",
            "removedIdsMaxAgeMillis",
            "removedIdsMaxCount",
            "principals[0].token",
            "principals[0].roles[Bad Role]",
            "colour");
  }

  @Test
  void aclsAndViewersAreReadFromTheFileWithFieldPaths() {
    assertThat(
            fields(
                () ->
                    AllocatorConfig.parse(
                        """
                        dataDir: x
                        principals:
                          - {name: both, token: 0123456789abcdef, operator: true, viewer: true}
                        acls:
                          view:
                            - principals: {type: ANY, values: [a]}
                          register_frameworks:
                            - principals: {values: [web]}
                              roles: {type: SOME}
                          act_as_framework: []
                        """)))
        .contains(
            "principals[0].viewer",
            "acls.view[0].principals.type",
            "acls.view[0].objects",
            "acls.register_frameworks[0].roles.type")
        .anyMatch(f -> f.startsWith("acls.act_as_framework"));
    AllocatorConfig c =
        AllocatorConfig.parse(
            """
            dataDir: x
            principals:
              - {name: ops, token: 0123456789abcdef, viewer: true}
              - {name: web, token: 0123456789abcdeg, roles: [web]}
            acls:
              permissive: false
              view:
                - principals: {values: [ops]}
                  objects: {values: [metrics]}
                - principals: {values: [ops]}
                  objects: {type: NONE}
              run_workloads:
                - principals: {values: [web]}
                  roles: {values: [services]}
            """);
    Authorizer authz =
        Authorizer.of(
            c.acls(), c.principals().stream().map(AllocatorConfig.Principal::grantee).toList());
    assertThat(authz.decide("ops", Action.VIEW, "metrics").allowed()).isTrue();
    assertThat(authz.decide("ops", Action.VIEW, "state").allowed()).isFalse();
    assertThat(authz.decide("web", Action.RUN_WORKLOADS, "services").allowed()).isTrue();
    assertThat(authz.decide("web", Action.RUN_WORKLOADS, "jobs").allowed()).isFalse();
    // The ACLs survive the withers (which round-trip the configuration through its file form).
    assertThat(c.withPort(1).acls()).isEqualTo(c.acls());
  }

  @Test
  void anAclNamingNoPrincipalIsRefused() {
    assertThat(
            fields(
                () ->
                    AllocatorConfig.parse(
                        """
                        dataDir: x
                        principals:
                          - {name: web, token: 0123456789abcdef, roles: [web]}
                        acls:
                          update_weights:
                            - principals: {values: [web, wbe]}
                              roles: {type: ANY}
                          view:
                            - principals: {values: [viewer, admin, strata-frameworks]}
                              objects: {type: ANY}
                        """)))
        .containsExactly("acls.update_weights[0].principals");
  }

  @Test
  void tokensFilesWrittenBeforeTheBuiltInAndViewerPrincipalsAreCompleted() throws Exception {
    Path data = dir.resolve("old");
    Files.createDirectories(data);
    Files.writeString(
        data.resolve(Credentials.FILE),
        "{\"joinToken\":\"join-0123456789abcdef\",\"adminToken\":\"admin-0123456789abcdef\"}");
    Credentials c = Credentials.resolve(AllocatorConfig.defaults(data));
    assertThat(c.generated()).isTrue();
    assertThat(c.joinToken()).isEqualTo("join-0123456789abcdef");
    assertThat(c.byName("admin").orElseThrow().token()).isEqualTo("admin-0123456789abcdef");
    String builtIn = c.byName(Credentials.FRAMEWORKS).orElseThrow().token();
    assertThat(builtIn).isNotEqualTo("admin-0123456789abcdef").hasSizeGreaterThanOrEqualTo(40);
    assertThat(c.byName(Credentials.VIEWER).orElseThrow().viewer()).isTrue();
    Credentials again = Credentials.resolve(AllocatorConfig.defaults(data));
    assertThat(again.generated()).isFalse();
    assertThat(again.byName(Credentials.FRAMEWORKS).orElseThrow().token()).isEqualTo(builtIn);
  }

  @Test
  void defaultsAreSensible() {
    AllocatorConfig c = AllocatorConfig.defaults(dir);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(AllocatorConfig.DEFAULT_PORT);
    assertThat(c.maxRequestBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(c.allocationIntervalMillis()).isBetween(1L, 100L);
    // As Mesos' registry_max_agent_age and registry_max_agent_count.
    assertThat(c.removedIdsMaxAgeMillis()).isEqualTo(14L * 24 * 3600 * 1000);
    assertThat(c.removedIdsMaxCount()).isEqualTo(102_400);
    assertThat(c.withPort(1).removedIdsMaxCount()).isEqualTo(102_400);
    assertThat(AllocatorConfig.parse("dataDir: x\nremovedIdsMaxCount: 7\n").removedIdsMaxCount())
        .isEqualTo(7);
  }

  @Test
  void dnsSettingsHaveDefaultsFlagsAndNamedErrors() throws Exception {
    AllocatorConfig c = AllocatorConfig.defaults(dir);
    assertThat(c.dnsPort()).isEqualTo(8600);
    assertThat(c.dnsEnabled()).isTrue();
    assertThat(c.dnsTtlSeconds()).isEqualTo(5);
    assertThat(c.dnsUpstream()).isNull();
    assertThat(AllocatorServer.check(c, java.time.Clock.systemUTC()))
        .contains("DNS: zone strata. on 127.0.0.1:8600 (UDP, TCP), TTL 5 s, other names refused");
    assertThat(AllocatorServer.check(c.withDns(null, false), java.time.Clock.systemUTC()))
        .contains("DNS: off");
    // A free HTTP port takes a free DNS port, unless one is set.
    assertThat(c.withPort(0).dnsPort()).isZero();
    assertThat(c.withPort(0).withPort(5050).dnsPort()).isEqualTo(8600);
    assertThat(AllocatorConfig.parse("dataDir: x\nport: 0\n").dnsPort()).isZero();
    assertThat(AllocatorConfig.parse("dataDir: x\nport: 0\ndnsPort: 8653\n").withPort(1).dnsPort())
        .isEqualTo(8653);
    assertThat(AllocatorConfig.parse("dataDir: x\ndnsUpstream: \"[::1]:53\"\n").dnsUpstream())
        .isEqualTo("[::1]:53");
    assertThat(
            fields(
                () ->
                    AllocatorConfig.parse(
                        "dataDir: x\ndnsPort: 70000\ndnsTtlSeconds: -1\n"
                            + "dnsUpstream: dns.example:53\n")))
        .containsExactlyInAnyOrder("dnsPort", "dnsTtlSeconds", "dnsUpstream");
    Path file = dir.resolve("d.yaml");
    Files.writeString(file, "dataDir: " + dir + "\n");
    assertThat(
            AllocatorMain.parse(new String[] {"--config", file.toString(), "--dns-port", "off"})
                .dnsEnabled())
        .isFalse();
    assertThat(
            AllocatorMain.parse(new String[] {"--config", file.toString(), "--dns-port", "53"})
                .dnsPort())
        .isEqualTo(53);
    assertThat(
            fields(
                () ->
                    AllocatorMain.parse(
                        new String[] {"--config", file.toString(), "--dns-port", "x"})))
        .containsExactly("dnsPort");
  }

  @Test
  void flagsOverrideTheFileAndUnknownFlagsAreRefused() throws Exception {
    Path file = dir.resolve("a.yaml");
    Files.writeString(file, "dataDir: " + dir + "\nport: 6000\n");
    AllocatorConfig c =
        AllocatorMain.parse(new String[] {"--config", file.toString(), "--port", "7000"});
    assertThat(c.port()).isEqualTo(7000);
    assertThatThrownBy(() -> AllocatorMain.parse(new String[] {"--bogus", "1"}))
        .hasMessageContaining("--bogus");
    assertThat(fields(() -> AllocatorMain.parse(new String[] {"--port", "80"})))
        .containsExactly("dataDir");
    assertThat(fields(() -> AllocatorMain.parse(new String[] {"--data-dir", "x", "--port", "x"})))
        .containsExactly("port");
  }

  @Test
  void missingTokensAreGeneratedOncePrivatelyAndReused() throws Exception {
    AllocatorConfig config = AllocatorConfig.defaults(dir.resolve("data"));
    Credentials first = Credentials.resolve(config);
    assertThat(first.generated()).isTrue();
    assertThat(first.joinToken()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(first.principals())
        .extracting(AllocatorConfig.Principal::name)
        .containsExactly("admin", Credentials.FRAMEWORKS, Credentials.VIEWER);
    Authorizer authz =
        Authorizer.of(
            Acls.NONE,
            first.principals().stream().map(AllocatorConfig.Principal::grantee).toList());
    assertThat(first.principals().get(0).operator()).isTrue();
    assertThat(authz.decide("admin", Action.REGISTER_FRAMEWORKS, "any/role").allowed()).isTrue();
    // The built-in frameworks have their own principal, in their roles only, and no operator API.
    assertThat(
            authz.decide(Credentials.FRAMEWORKS, Action.REGISTER_FRAMEWORKS, "services").allowed())
        .isTrue();
    assertThat(authz.decide(Credentials.FRAMEWORKS, Action.REGISTER_FRAMEWORKS, "web").allowed())
        .isFalse();
    assertThat(authz.decide(Credentials.FRAMEWORKS, Action.VIEW, "state").allowed()).isFalse();
    assertThat(authz.decide(Credentials.VIEWER, Action.VIEW, "state").allowed()).isTrue();
    assertThat(authz.decide(Credentials.VIEWER, Action.DRAIN_AGENTS, "a").allowed()).isFalse();
    assertThat(first.principals()).extracting(p -> p.token()).doesNotHaveDuplicates();
    Path file = dir.resolve("data").resolve(Credentials.FILE);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    Credentials second = Credentials.resolve(config);
    assertThat(second.generated()).isFalse();
    assertThat(second.joinToken()).isEqualTo(first.joinToken());
    assertThat(second.principal(first.principals().get(0).token())).isPresent();
    assertThat(second.principal("nope")).isEmpty();
    assertThat(second.isJoinToken(first.joinToken())).isTrue();
  }

  @Test
  void rolesAllowTheirDescendantsOnly() {
    var p =
        new AllocatorConfig.Principal("web", "0123456789abcdef", java.util.Set.of("eng/web"), null);
    Authorizer authz = Authorizer.of(Acls.NONE, List.of(p.grantee()));
    assertThat(authz.decide("web", Action.REGISTER_FRAMEWORKS, "eng/web").allowed()).isTrue();
    assertThat(authz.decide("web", Action.REGISTER_FRAMEWORKS, "eng/web/api").allowed()).isTrue();
    assertThat(authz.decide("web", Action.REGISTER_FRAMEWORKS, "eng").allowed()).isFalse();
    assertThat(authz.decide("web", Action.REGISTER_FRAMEWORKS, "eng/webby").allowed()).isFalse();
    assertThat(p.operator()).isFalse();
  }

  @Test
  void aServerThatCannotStartReleasesItsDataDirectory() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      AllocatorConfig config =
          AllocatorConfig.defaults(dir.resolve("d")).withPort(taken.getLocalPort());
      assertThatThrownBy(() -> AllocatorServer.start(config))
          .hasMessageContaining("cannot serve on 127.0.0.1:" + taken.getLocalPort());
      // The journal's lock was released: a start on a free port works.
      try (AllocatorServer server = AllocatorServer.start(config.withPort(0))) {
        assertThat(server.port()).isPositive();
        assertThat(server.routes()).contains("POST /v1/scheduler", "PUT /v1/roles/<role>");
      }
    }
  }
}

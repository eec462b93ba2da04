package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("admin");
              assertThat(p.operator()).isTrue();
              assertThat(p.mayUse("any/role")).isTrue();
            });
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
    assertThat(p.mayUse("eng/web")).isTrue();
    assertThat(p.mayUse("eng/web/api")).isTrue();
    assertThat(p.mayUse("eng")).isFalse();
    assertThat(p.mayUse("eng/webby")).isFalse();
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

package io.strata.allocator.server;

import static io.strata.allocator.server.ConfigTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.allocator.ha.ZooKeeperUrl;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.api.json.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HA settings: zookeeper, zookeeperSessionTimeoutMillis, advertiseUrl, tokenKeyFile. */
class HaConfigTest {
  @TempDir Path dir;

  /** What every HA allocator needs besides zookeeper: shared tokens and a shared token key. */
  private static final String SHARED =
      """
      dataDir: x
      joinToken: join-token-0123456789
      principals:
        - {name: admin, token: admin-token-0123456789, operator: true}
      tokenKeyFile: /etc/strata/token-key
      """;

  @Test
  void aWorkingHaConfigIsAcceptedWithDefaults() {
    AllocatorConfig c =
        AllocatorConfig.parse(SHARED + "zookeeper: zk://10.0.0.4:2181,10.0.0.5:2181/strata\n");
    assertThat(c.zookeeperUrl())
        .contains(new ZooKeeperUrl("10.0.0.4:2181,10.0.0.5:2181", "/strata"));
    assertThat(c.zookeeperSessionTimeoutMillis()).isEqualTo(10_000);
    assertThat(c.advertisedUrl(5050)).isEqualTo("http://127.0.0.1:5050");
    AllocatorConfig advertised =
        AllocatorConfig.parse(
            SHARED
                + "host: 0.0.0.0\nzookeeper: zk://z:2181/a/b\nadvertiseUrl: http://10.0.0.4:5050/\n"
                + "zookeeperSessionTimeoutMillis: 4000\n");
    assertThat(advertised.advertisedUrl(1)).isEqualTo("http://10.0.0.4:5050");
    assertThat(advertised.zookeeperSessionTimeoutMillis()).isEqualTo(4000);
    assertThat(AllocatorConfig.parse("dataDir: x\n").zookeeperUrl()).isEmpty();
    assertThat(AllocatorConfig.parse("dataDir: x\nhost: ::1\n").advertisedUrl(7))
        .isEqualTo("http://[::1]:7");
  }

  @Test
  void badZooKeeperUrlsAreRefusedSayingWhy() {
    for (String[] bad :
        new String[][] {
          {"http://z:2181/strata", "must start with zk://"},
          {"zk://z:2181", "names no root znode"},
          {"zk://z:2181/", "has the root /"},
          {"zk:///strata", "names no ZooKeeper server"},
          {"zk://z/strata", "needs a port"},
          {"zk://z:99999/strata", "not in 1-65535"},
          {"zk://z:21a/strata", "not a number"},
          {"zk://a:1,,b:2/strata", "empty server"},
          {"zk://z:2181/strata/", "must not end with /"},
          {"zk://z:2181/a//b", "not a znode path"},
          {"zk://z:2181/a/../b", "not a znode path"},
          {"zk://z:2181/zookeeper/x", "reserves"},
          {"zk://u@z:2181/strata", "no credentials"},
          {"zk://::1:2181/strata", "brackets"},
        }) {
      ValidationException e =
          catchValidation(() -> AllocatorConfig.parse(SHARED + "zookeeper: '" + bad[0] + "'\n"));
      assertThat(e.violations()).hasSize(1);
      assertThat(e.violations().get(0).field()).isEqualTo("zookeeper");
      assertThat(e.violations().get(0).message()).as(bad[0]).contains(bad[1]);
    }
    assertThat(ZooKeeperUrl.parse("zk://[::1]:2181,h:1/s/t").url())
        .isEqualTo(new ZooKeeperUrl("[::1]:2181,h:1", "/s/t"));
  }

  @Test
  void aWildcardHostNeedsAnAdvertisedUrlAndTheUrlMustBeReachable() {
    ValidationException e =
        catchValidation(
            () -> AllocatorConfig.parse(SHARED + "host: 0.0.0.0\nzookeeper: zk://z:2181/s\n"));
    assertThat(e.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("advertiseUrl");
              assertThat(v.message()).contains("wildcard");
            });
    for (String[] bad :
        new String[][] {
          {"https://10.0.0.4:5050", "must use http://"},
          {"ftp://10.0.0.4:5050", "http:// or https://"},
          {"http://0.0.0.0:5050", "wildcard"},
          {"http://10.0.0.4:5050/api", "path"},
          {"http://10.0.0.4:5050?a=b", "no user, query"},
          {"http:///x", "names no host"},
        }) {
      ValidationException v =
          catchValidation(
              () -> AllocatorConfig.parse("dataDir: x\nadvertiseUrl: '" + bad[0] + "'\n"));
      assertThat(v.violations())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.field()).isEqualTo("advertiseUrl");
                assertThat(x.message()).as(bad[0]).contains(bad[1]);
              });
    }
  }

  @Test
  void haWithoutSharedSecretsIsRefusedNamingEachMissingOne() {
    assertThat(fields(() -> AllocatorConfig.parse("dataDir: x\nzookeeper: zk://z:2181/s\n")))
        .containsExactlyInAnyOrder("joinToken", "principals", "tokenKeyFile");
    // caKeyFile shares the key as well; a join token file and an operator token file the tokens.
    assertThat(
            AllocatorConfig.parse(
                    """
                    dataDir: x
                    zookeeper: zk://z:2181/s
                    joinTokenFile: /j
                    operatorTokenFile: /o
                    caFile: /ca.pem
                    caKeyFile: /ca.key
                    """)
                .zookeeperUrl())
        .isPresent();
    assertThat(fields(() -> AllocatorConfig.parse(SHARED + "caFile: /c\ncaKeyFile: /k\n")))
        .containsExactly("tokenKeyFile");
    assertThat(
            fields(
                () -> AllocatorConfig.parse("dataDir: x\nzookeeperSessionTimeoutMillis: 5000\n")))
        .containsExactly("zookeeperSessionTimeoutMillis");
    assertThat(
            fields(
                () ->
                    AllocatorConfig.parse(
                        SHARED + "zookeeper: zk://z:1/s\nzookeeperSessionTimeoutMillis: 10\n")))
        .containsExactly("zookeeperSessionTimeoutMillis");
  }

  @Test
  void theFlagsMirrorTheFields() throws Exception {
    Path file = dir.resolve("a.yaml");
    Files.writeString(file, SHARED.replace("dataDir: x", "dataDir: " + dir));
    AllocatorConfig c =
        AllocatorMain.parse(
            new String[] {
              "--config", file.toString(),
              "--zookeeper", "zk://127.0.0.1:2181/strata",
              "--advertise-url", "http://10.1.2.3:5050"
            });
    assertThat(c.zookeeper()).isEqualTo("zk://127.0.0.1:2181/strata");
    assertThat(c.advertiseUrl()).isEqualTo("http://10.1.2.3:5050");
    assertThat(
            fields(
                () ->
                    AllocatorMain.parse(
                        new String[] {"--config", file.toString(), "--zookeeper", "zk://x/y"})))
        .containsExactly("zookeeper");
    // A wildcard host given as a flag with the advertised URL it needs, in either order.
    Files.writeString(
        file, SHARED.replace("dataDir: x", "dataDir: " + dir) + "zookeeper: zk://z:2181/s\n");
    AllocatorConfig wildcard =
        AllocatorMain.parse(
            new String[] {
              "--host",
              "0.0.0.0",
              "--config",
              file.toString(),
              "--advertise-url",
              "http://10.1.2.3:5050"
            });
    assertThat(wildcard.advertisedUrl(5050)).isEqualTo("http://10.1.2.3:5050");
    assertThat(
            fields(
                () ->
                    AllocatorMain.parse(
                        new String[] {"--config", file.toString(), "--host", "::"})))
        .containsExactly("advertiseUrl");
  }

  @Test
  void checkReadsTheTokenKeyFile() throws Exception {
    AllocatorConfig c =
        AllocatorConfig.parse(
            SHARED
                    .replace("dataDir: x", "dataDir: " + dir)
                    .replace("/etc/strata/token-key", dir.resolve("absent").toString())
                + "zookeeper: zk://z:2181/s\n");
    assertThat(fields(() -> AllocatorServer.check(c, java.time.Clock.systemUTC())))
        .containsExactly("tokenKeyFile");
    Files.writeString(dir.resolve("absent"), Base64.getEncoder().encodeToString(new byte[32]));
    assertThat(AllocatorServer.check(c, java.time.Clock.systemUTC()))
        .anyMatch(l -> l.startsWith("high availability: state in zk://z:2181/s"));
  }

  @Test
  void aTokenKeyFileMustHoldEnoughKey() throws Exception {
    Path shortKey = dir.resolve("short");
    Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
    Path notBase64 = dir.resolve("text");
    Files.writeString(notBase64, "not base64 at all!");
    for (Path p : new Path[] {shortKey, notBase64, dir.resolve("missing")}) {
      assertThat(fields(() -> JoinTokens.sharedKey(p))).containsExactly("tokenKeyFile");
    }
    Path good = dir.resolve("good");
    Files.writeString(good, Base64.getEncoder().encodeToString(new byte[32]) + "\n");
    assertThat(JoinTokens.sharedKey(good)).hasSize(32);
  }

  private static ValidationException catchValidation(Runnable r) {
    try {
      r.run();
    } catch (ValidationException e) {
      return e;
    }
    throw new AssertionError("expected a ValidationException");
  }
}

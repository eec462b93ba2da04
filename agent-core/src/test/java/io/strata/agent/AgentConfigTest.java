package io.strata.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void decodesWithDefaults() {
    AgentConfig c =
        Codec.YAML.decode(
            """
            workDir: /var/lib/strata
            allocator: http://10.0.0.2:5050
            joinToken: s3cret
            attributes: {zone: eu-1}
            resources: "cpus:2;mem:4096"
            """,
            AgentConfig.class);
    assertThat(c.listen()).isEqualTo("0.0.0.0:5051");
    assertThat(c.listenPort()).isEqualTo(5051);
    assertThat(c.defaultUser()).isEqualTo("nobody");
    assertThat(c.allowRootTasks()).isFalse();
    assertThat(c.overriddenNames()).containsExactly("cpus", "mem");
    assertThat(c.portRanges().toString()).isEqualTo("[31000-32000]");
    assertThat(c.attributes()).containsEntry("zone", "eu-1");
  }

  @Test
  void theAllocatorMayBeAListOrAZooKeeperEnsembleAndABadOneIsNamed() {
    String base = "workDir: /w\njoinToken: s3cret\nallocator: ";
    AgentConfig list =
        Codec.YAML.decode(base + "\"http://a:5050, http://b:5050\"\n", AgentConfig.class);
    assertThat(list.allocatorAddress())
        .isEqualTo(io.strata.api.client.AllocatorAddress.parse("http://a:5050,http://b:5050"));
    AgentConfig zk = Codec.YAML.decode(base + "zk://z1:2181,z2/strata\n", AgentConfig.class);
    assertThat(zk.allocatorAddress()).hasToString("zk://z1:2181,z2:2181/strata");
    assertThatThrownBy(() -> Codec.YAML.decode(base + "zk://z1:2181\n", AgentConfig.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .anyMatch(
                        v ->
                            v.field().equals("allocator")
                                && v.message().contains("names no root znode")));
  }

  @Test
  void reportsEveryMistakeWithItsFieldPath() {
    assertThatThrownBy(
            () ->
                Codec.YAML.decode(
                    """
                    allocator: ftp://nowhere
                    joinToken: ""
                    listen: "no-port"
                    resources: "cpus:lots"
                    logFiles: 0
                    colour: blue
                    """,
                    AgentConfig.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.violations()).extracting(Violation::field).contains("colour"));
    assertThatThrownBy(
            () ->
                Codec.YAML.decode(
                    """
                    allocator: ftp://nowhere
                    joinToken: ""
                    listen: "no-port"
                    resources: "cpus:lots"
                    logFiles: 0
                    """,
                    AgentConfig.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactlyInAnyOrder(
                        "workDir",
                        "allocator",
                        "joinToken",
                        "listen",
                        "resources.cpus",
                        "logFiles"));
  }

  @Test
  void withTheClusterCaTheAdvertisedEndpointMustBeHttps() {
    String base =
        """
        workDir: /var/lib/strata
        allocator: https://10.0.0.2:5050
        joinToken: s3cret
        caFile: /etc/strata/ca.pem
        """;
    assertThatThrownBy(
            () -> Codec.YAML.decode(base + "advertise: http://node-1:5051\n", AgentConfig.class))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("advertise"));
    assertThat(
            Codec.YAML
                .decode(base + "advertise: https://node-1:5051\n", AgentConfig.class)
                .advertise())
        .isEqualTo("https://node-1:5051");
  }
}

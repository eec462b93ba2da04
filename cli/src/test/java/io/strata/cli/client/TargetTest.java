package io.strata.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cli.output.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetTest {
  @TempDir Path dir;

  Map<String, String> env(String... pairs) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("STRATA_DATA_DIR", dir.resolve("no-data").toString());
    env.put("STRATA_CONFIG", dir.resolve("no-config.yaml").toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void anHaClusterIsAListOfUrlsOrAZooKeeperAddressFromAnySource() throws Exception {
    assertThat(
            Target.resolve(
                    null, null, null, null, null, env("STRATA_ALLOCATOR", "http://a:1,http://b:2"))
                .address())
        .isEqualTo(io.strata.api.client.AllocatorAddress.parse("http://a:1,http://b:2"));
    assertThat(
            Target.resolve("zk://z1:2181,z2:2181/strata", null, null, null, null, env()).address())
        .hasToString("zk://z1:2181,z2:2181/strata");
    Path config = Files.writeString(dir.resolve("ha.yaml"), "url: https://a:5050,https://b:5050\n");
    Target fromFile = Target.resolve(null, null, null, config, null, env());
    assertThat(fromFile.address()).hasToString("https://a:5050,https://b:5050");
    assertThat(fromFile.url().toString()).isEqualTo("https://a:5050");
    assertThatThrownBy(() -> Target.resolve("http://a:1,ftp://b", null, null, null, null, env()))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("'http://a:1,ftp://b' (from --url) is not an allocator address")
        .hasMessageContaining("allocator address 2 'ftp://b' must start with http:// or https://");
  }

  @Test
  void theCaFileComesFromTheFlagThenTheEnvironmentThenTheConfigFile() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("config.yaml"), "url: https://10.0.0.4:5050\ncaFile: /from/config.pem\n");
    assertThat(Target.resolve(null, null, null, config, null, env()).caFile())
        .isEqualTo(Path.of("/from/config.pem"));
    assertThat(
            Target.resolve(null, null, null, config, null, env("STRATA_CA_FILE", "/from/env.pem"))
                .caFile())
        .isEqualTo(Path.of("/from/env.pem"));
    assertThat(
            Target.resolve(
                    null,
                    null,
                    null,
                    config,
                    Path.of("/from/flag.pem"),
                    env("STRATA_CA_FILE", "/from/env.pem"))
                .caFile())
        .isEqualTo(Path.of("/from/flag.pem"));
    assertThat(Target.resolve("https://h:1", null, null, null, null, env()).caFile()).isNull();
  }

  @Test
  void anUnreadableCaFileIsAUsageError() throws Exception {
    Target missing =
        Target.resolve("https://127.0.0.1:1", "t", null, null, dir.resolve("missing.pem"), env());
    assertThatThrownBy(() -> new StrataClient(missing))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot read the CA file " + dir.resolve("missing.pem"));
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    Target bad = Target.resolve("https://127.0.0.1:1", "t", null, null, notPem, env());
    assertThatThrownBy(() -> new StrataClient(bad))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("the CA file " + notPem);
  }

  Map<String, String> withContexts(String... pairs) throws Exception {
    Map<String, String> env = env(pairs);
    env.remove("STRATA_DATA_DIR");
    Path token = Files.writeString(dir.resolve("admin.token"), "ctx-token\n");
    new Contexts(null, java.util.List.of())
        .withCurrent(new Contexts.Context("other", "http://127.0.0.1:6000", null, null, null))
        .withCurrent(
            new Contexts.Context(
                "local-5350", "http://127.0.0.1:5350", token.toString(), null, "/d"))
        .save(env);
    return env;
  }

  @Test
  void theCurrentContextComesAfterFlagsAndEnvironmentAndBeforeTheDefault() throws Exception {
    Map<String, String> env = withContexts();
    Target fromContext = Target.resolve(null, null, null, null, null, env);
    assertThat(fromContext.url().toString()).isEqualTo("http://127.0.0.1:5350");
    assertThat(fromContext.token()).isEqualTo("ctx-token");
    assertThat(fromContext.source()).contains("current context 'local-5350'");

    env.put("STRATA_URL", "http://127.0.0.1:7000");
    assertThat(Target.resolve(null, null, null, null, null, env).url().toString())
        .isEqualTo("http://127.0.0.1:7000");
    assertThat(Target.resolve(null, null, null, null, null, env).token()).isNull();
    assertThat(
            Target.resolve("http://127.0.0.1:8000", null, null, null, null, env).url().toString())
        .isEqualTo("http://127.0.0.1:8000");

    Contexts.load(env).use("other").save(env);
    env.remove("STRATA_URL");
    assertThat(Target.resolve(null, null, null, null, null, env).url().toString())
        .isEqualTo("http://127.0.0.1:6000");
  }

  @Test
  void aUrlGivenAloneTakesTheTokenOfTheContextWithThatUrl() throws Exception {
    Map<String, String> env = withContexts();
    Contexts.load(env).use("other").save(env);
    env.put("STRATA_URL", "http://127.0.0.1:5350/");
    Target t = Target.resolve(null, null, null, null, null, env);
    assertThat(t.token()).isEqualTo("ctx-token");
    assertThat(Target.resolve(null, "flag", null, null, null, env).token()).isEqualTo("flag");
  }

  @Test
  void unknownContextsAreNotFound() throws Exception {
    Map<String, String> env = withContexts();
    assertThatThrownBy(() -> Contexts.load(env).use("nope"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no context 'nope'");
    assertThat(Contexts.path(env)).isEqualTo(dir.resolve("contexts.yaml"));
  }
}

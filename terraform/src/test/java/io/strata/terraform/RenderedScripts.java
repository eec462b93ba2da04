package io.strata.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node reads back from a rendered script must be exactly what the module passed: the
 * cloud-init documents parse as YAML, their files hold the CA, the token and a JSON config with the
 * cluster's values; the PowerShell script's JSON here-strings parse and hold the same values.
 */
final class RenderedScripts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern HERE_STRING =
      Pattern.compile("^\\$(\\w+) = @'\\n(.*?)\\n'@", Pattern.MULTILINE | Pattern.DOTALL);

  private RenderedScripts() {}

  static void check(String template, Map<String, Object> vars, String rendered) throws IOException {
    if (template.endsWith(".ps1.tftpl")) {
      windows(vars, rendered);
    } else {
      cloudInit(template, vars, rendered);
    }
  }

  private static void cloudInit(String template, Map<String, Object> vars, String rendered)
      throws IOException {
    assertThat(rendered).startsWith("#cloud-config\n");
    JsonNode doc = YAML.readTree(rendered);
    Map<String, String> files = new HashMap<>();
    for (JsonNode f : doc.get("write_files")) {
      files.put(f.get("path").asText(), f.get("content").asText());
    }
    assertThat(files.get("/etc/strata/ca.pem")).isEqualTo(vars.get("cluster_ca_pem"));
    assertThat(files.get("/etc/strata/join-token")).isEqualTo(vars.get("join_token"));
    assertThat(doc.get("packages").toString()).contains("openjdk-21-jre-headless");
    JsonNode install = doc.get("runcmd").get(template.startsWith("allocator") ? 2 : 0);
    assertThat(install.get(0).asText()).isEqualTo("/usr/local/sbin/strata-install");
    assertThat(install.get(1).asText()).isEqualTo(vars.get("artifact_url"));
    assertThat(install.get(2).asText()).isEqualTo(vars.get("artifact_sha256"));
    assertThat(install.get(3).asText()).isEqualTo(vars.get("strata_version"));
    if (template.startsWith("allocator")) {
      assertThat(files.get("/etc/strata/ca-key.pem")).isEqualTo(vars.get("cluster_ca_key_pem"));
      JsonNode config = JSON.readTree(files.get("/etc/strata/allocator.json"));
      assertThat(config.get("cluster").asText()).isEqualTo(vars.get("cluster_name"));
      assertThat(config.get("host").asText()).isEqualTo("0.0.0.0");
      assertThat(config.get("port").asInt())
          .isEqualTo(((Number) vars.get("allocator_port")).intValue());
      assertThat(config.get("joinTokenExpiresAt").asText())
          .isEqualTo(vars.get("join_token_expires_at"));
      assertThat(files.get("/etc/strata/operator-token")).isEqualTo(vars.get("operator_token"));
      assertThat(config.get("operatorTokenFile").asText()).isEqualTo("/etc/strata/operator-token");
      assertThat(files).containsKey("/etc/systemd/system/strata-allocator.service");
      if (!"".equals(vars.get("zookeeper_url"))) {
        assertThat(config.get("zookeeper").asText()).isEqualTo(vars.get("zookeeper_url"));
        assertThat(config.get("advertiseUrl").asText()).isEqualTo(vars.get("advertise_url"));
        Map<?, ?> servers = (Map<?, ?>) vars.get("zookeeper_servers");
        String zooCfg = files.get("/etc/strata/zookeeper/zoo.cfg");
        servers.forEach(
            (id, address) ->
                assertThat(zooCfg).contains("server." + id + "=" + address + ":2888:3888\n"));
        assertThat(files.get("/var/lib/strata/zookeeper/myid"))
            .isEqualTo(((Number) vars.get("zookeeper_myid")).intValue() + "\n");
        assertThat(files).containsKey("/etc/systemd/system/strata-zookeeper.service");
      } else {
        assertThat(config.has("zookeeper")).isFalse();
        assertThat(files).doesNotContainKey("/etc/strata/zookeeper/zoo.cfg");
      }
    } else {
      agentConfig(vars, JSON.readTree(files.get("/etc/strata/agent.json")));
      assertThat(files.get("/etc/systemd/system/strata-agent.service"))
          .contains(
              "ExecStart=/opt/strata/current/bin/strata agent --config /etc/strata/agent.json")
          .contains("KillMode=process");
    }
  }

  private static void windows(Map<String, Object> vars, String rendered) throws IOException {
    assertThat(rendered).startsWith("#ps1_sysnative\n");
    Map<String, JsonNode> blocks = new HashMap<>();
    Matcher m = HERE_STRING.matcher(rendered);
    while (m.find()) {
      blocks.put(m.group(1), JSON.readTree(m.group(2)));
    }
    JsonNode bootstrap = blocks.get("Bootstrap");
    assertThat(bootstrap.get("version").asText()).isEqualTo(vars.get("strata_version"));
    assertThat(bootstrap.get("artifactUrl").asText()).isEqualTo(vars.get("artifact_url"));
    assertThat(bootstrap.get("artifactSha256").asText()).isEqualTo(vars.get("artifact_sha256"));
    assertThat(bootstrap.get("caPem").asText()).isEqualTo(vars.get("cluster_ca_pem"));
    assertThat(bootstrap.get("joinToken").asText()).isEqualTo(vars.get("join_token"));
    agentConfig(vars, blocks.get("AgentConfig"));
    assertThat(rendered).contains("Start-Process -FilePath 'sc.exe'").contains("Start-Service");
  }

  private static void agentConfig(Map<String, Object> vars, JsonNode config) {
    assertThat(config.get("cluster").asText()).isEqualTo(vars.get("cluster_name"));
    assertThat(config.get("pool").asText()).isEqualTo(vars.get("pool_name"));
    assertThat(config.get("allocatorUrl").asText()).isEqualTo(vars.get("allocator_url"));
    assertThat(JSON.convertValue(config.get("attributes"), Map.class))
        .isEqualTo(vars.get("attributes"));
  }
}

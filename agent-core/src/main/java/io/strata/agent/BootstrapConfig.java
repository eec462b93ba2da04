package io.strata.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.client.ClusterTrust;
import io.strata.api.json.Checks;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent config the bootstrap templates write ({@code
 * terraform/templates/linux-agent.cloud-init.yaml.tftpl} writes {@code /etc/strata/agent.json});
 * decoded strictly, exactly these fields. The Windows agent reads the same fields from its template
 * (agent-windows' {@code config.BootstrapConfig}).
 *
 * <pre>
 * {"cluster": "prod", "pool": "linux", "allocatorUrl": "https://10.0.0.4:5050",
 *  "caFile": "/etc/strata/ca.pem", "joinTokenFile": "/etc/strata/join-token",
 *  "workDir": "/var/lib/strata/agent", "attributes": {"zone": "1"}}
 * </pre>
 *
 * @param cluster the cluster's name, reported as the attribute {@code cluster}
 * @param pool the node pool, reported as the attribute {@code pool}
 * @param allocatorUrl the allocators' address: one URL, a comma-separated list of URLs, or {@code
 *     zk://host:2181,host2:2181/strata}
 * @param caFile the cluster CA (PEM) to trust for an https allocator; optional
 * @param joinTokenFile the file holding the join token
 * @param workDir the agent's work directory
 * @param attributes the pool's attributes
 */
public record BootstrapConfig(
    String cluster,
    String pool,
    String allocatorUrl,
    String caFile,
    String joinTokenFile,
    String workDir,
    Map<String, String> attributes) {

  public static final String CLUSTER_ATTRIBUTE = "cluster";
  public static final String POOL_ATTRIBUTE = "pool";

  public BootstrapConfig {
    Checks c =
        new Checks()
            .notBlank("cluster", cluster)
            .notBlank("pool", pool)
            .notBlank("allocatorUrl", allocatorUrl)
            .notBlank("joinTokenFile", joinTokenFile)
            .notBlank("workDir", workDir)
            .noNullValues("attributes", attributes);
    if (allocatorUrl != null && !allocatorUrl.isBlank()) {
      // One URL, a list, or zk:// (an HA cluster's allocators).
      String problem = AgentConfig.addressProblem(allocatorUrl);
      c.require(problem == null, "allocatorUrl", problem);
    }
    if (caFile != null) {
      c.notBlank("caFile", caFile);
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    for (var fixed : Map.of(CLUSTER_ATTRIBUTE, cluster, POOL_ATTRIBUTE, pool).entrySet()) {
      String given = attributes.get(fixed.getKey());
      c.require(
          given == null || given.equals(fixed.getValue()),
          "attributes." + fixed.getKey(),
          "is '"
              + given
              + "' but the agent reports its "
              + fixed.getKey()
              + " '"
              + fixed.getValue()
              + "' under this name");
    }
    c.done();
  }

  /** True if a config file's top-level fields are those of this form (and not {@code agent}). */
  public static boolean isBootstrap(JsonNode tree) {
    if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode) || tree.has("agent")) {
      return false;
    }
    for (var field : BootstrapConfig.class.getRecordComponents()) {
      if (tree.has(field.getName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Decodes {@code tree} (the parsed content of {@code file}, JSON or YAML) and turns it into the
   * agent config it stands for: paths resolved against the file's directory, the join token read
   * from its file, the CA file checked. Every mistake, the token and CA files' included, is a
   * {@link ValidationException} with the field of this form ({@code joinTokenFile: cannot read …}).
   *
   * @param reserved what the agent keeps for the system (the platform's default)
   */
  public static AgentConfig load(Path file, JsonNode tree, String reserved) {
    BootstrapConfig b;
    try {
      b = Codec.JSON.decode(Codec.JSON.mapper().writeValueAsBytes(tree), BootstrapConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-encode a parsed config", e);
    }
    Path dir = file.toAbsolutePath().getParent();
    Checks c = new Checks();
    String token = null;
    Path tokenFile = dir.resolve(b.joinTokenFile());
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (token.startsWith("\uFEFF")) {
        token = token.substring(1);
      }
      c.require(!token.isEmpty(), "joinTokenFile", tokenFile + " is empty");
      c.require(
          token.chars().noneMatch(Character::isWhitespace),
          "joinTokenFile",
          tokenFile + " must hold one token (it holds white space)");
    } catch (IOException e) {
      c.require(false, "joinTokenFile", "cannot read " + tokenFile + ": " + describe(e));
    }
    Path caFile = b.caFile() == null ? null : dir.resolve(b.caFile());
    if (caFile != null) {
      try {
        ClusterTrust.read(caFile);
      } catch (IOException e) {
        c.require(false, "caFile", "cannot read " + caFile + ": " + describe(e));
      } catch (IllegalArgumentException e) {
        c.require(false, "caFile", caFile + " " + e.getMessage());
      }
    }
    c.done();
    return b.toAgentConfig(
        dir.resolve(b.workDir()).toString(),
        token,
        caFile == null ? null : caFile.toString(),
        reserved);
  }

  /**
   * The full config this stands for: agent-core's defaults, the join token and CA file given,
   * cluster and pool among the attributes.
   */
  public AgentConfig toAgentConfig(
      String workDirectory, String joinToken, String caFilePath, String reserved) {
    Map<String, String> attrs = new TreeMap<>(attributes);
    attrs.put(CLUSTER_ATTRIBUTE, cluster);
    attrs.put(POOL_ATTRIBUTE, pool);
    return new AgentConfig(
        workDirectory,
        allocatorUrl,
        joinToken,
        null,
        null,
        null,
        null,
        reserved,
        null,
        attrs,
        null,
        null,
        null,
        null,
        null,
        null,
        caFilePath);
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}

package io.strata.agent.windows.config;

import io.strata.agent.AgentConfig;
import io.strata.api.json.Checks;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent config the bootstrap templates write ({@code
 * terraform/templates/windows-agent.ps1.tftpl} writes it to {@code
 * C:\ProgramData\Strata\agent.json}); decoded strictly, exactly these fields.
 *
 * <pre>
 * {"cluster": "prod", "pool": "win", "allocatorUrl": "https://10.0.0.4:5050",
 *  "caFile": "C:\\ProgramData\\Strata\\ca.pem", "joinTokenFile": "C:\\ProgramData\\Strata\\join-token",
 *  "workDir": "C:\\ProgramData\\Strata\\work", "attributes": {"zone": "1"}}
 * </pre>
 *
 * @param cluster the cluster's name, reported as the attribute {@code cluster}
 * @param pool the node pool, reported as the attribute {@code pool}
 * @param allocatorUrl the allocator's address
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
      c.require(
          isHttpUrl(allocatorUrl),
          "allocatorUrl",
          "must be an http:// or https:// URL (was '" + allocatorUrl + "')");
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

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The full config this stands for: agent-core's defaults, Windows' reserve, the join token read
   * from {@link #joinTokenFile}, cluster and pool among the attributes.
   *
   * @param workDirectory {@link #workDir}, resolved against the config file's directory
   */
  public WindowsAgentConfig toConfig(String workDirectory, String joinToken) {
    return toConfig(workDirectory, joinToken, null);
  }

  /**
   * As {@link #toConfig(String, String)}, trusting the cluster CA in {@code caFilePath} (resolved
   * against the config file's directory; null: the JVM's trust) for an https allocator. The agent's
   * client then checks the chain to that CA only, not the host name, as the Linux agent's does:
   * allocators are reached under addresses their certificate cannot name (load balancers).
   */
  public WindowsAgentConfig toConfig(String workDirectory, String joinToken, String caFilePath) {
    Map<String, String> attrs = new TreeMap<>(attributes);
    attrs.put(CLUSTER_ATTRIBUTE, cluster);
    attrs.put(POOL_ATTRIBUTE, pool);
    AgentConfig agent =
        new AgentConfig(
            workDirectory,
            allocatorUrl,
            joinToken,
            null,
            null,
            null,
            null,
            WindowsAgentConfig.DEFAULT_RESERVED,
            null,
            attrs,
            null,
            null,
            null,
            null,
            null,
            null,
            caFilePath);
    return new WindowsAgentConfig(agent, null, null);
  }
}

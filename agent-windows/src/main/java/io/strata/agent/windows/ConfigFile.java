package io.strata.agent.windows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.agent.AgentConfig;
import io.strata.agent.BootstrapConfig;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the Windows agent's config file, in either of its two forms:
 *
 * <ul>
 *   <li>the <b>agent config</b> ({@link WindowsAgentConfig}: {@code agent}, {@code windows}, {@code
 *       docker}), YAML or JSON ({@code .json});
 *   <li>the <b>bootstrap config</b> the Windows template writes (agent-core's {@link
 *       BootstrapConfig}: {@code allocatorUrl}, {@code joinTokenFile}, …), whose token file and CA
 *       file are read here.
 * </ul>
 *
 * Which form a file is follows from its top-level fields: {@code agent}, or those of the bootstrap
 * form. Every mistake comes back as a {@link ValidationException} with field paths of the file,
 * including unreadable token and CA files ({@code joinTokenFile: cannot read …}).
 */
public final class ConfigFile {
  private ConfigFile() {}

  /** Which form a file was in. */
  public enum Form {
    AGENT,
    BOOTSTRAP
  }

  /**
   * @param trust the cluster CA to trust for the allocator, if the file names one
   */
  public record Loaded(WindowsAgentConfig config, Form form, Optional<ClusterTrust> trust) {}

  /** Reads {@code file}; IOException only for the file itself (missing, unreadable). */
  public static Loaded read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Codec codec = file.toString().endsWith(".json") ? Codec.JSON : Codec.YAML;
    JsonNode tree;
    try {
      tree = codec.mapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      // Let the codec word the syntax error (with its line and column).
      codec.decode(bytes, WindowsAgentConfig.class);
      throw new ValidationException("", "cannot parse: " + e.getOriginalMessage());
    }
    if (tree instanceof ObjectNode object && object.has("agent")) {
      return new Loaded(decodeAgentForm(object), Form.AGENT, Optional.empty());
    }
    if (BootstrapConfig.isBootstrap(tree)) {
      return readBootstrap(file, tree);
    }
    throw new ValidationException(
        "",
        "expected the agent config (with an 'agent' section) or the bootstrap config the Windows"
            + " template writes (with 'allocatorUrl')");
  }

  /** The agent form, with Windows' defaults where agent-core's would not suit Windows. */
  static WindowsAgentConfig decodeAgentForm(ObjectNode tree) {
    if (tree.get("agent") instanceof ObjectNode agent && !agent.has("reserved")) {
      agent.put("reserved", WindowsAgentConfig.DEFAULT_RESERVED);
    }
    try {
      return Codec.JSON.decode(
          Codec.JSON.mapper().writeValueAsBytes(tree), WindowsAgentConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-encode a parsed config", e);
    }
  }

  /**
   * The bootstrap form, read by agent-core's {@link BootstrapConfig} (token and CA files included)
   * with Windows' reserve; the CA it names, already checked there, is trusted.
   */
  private static Loaded readBootstrap(Path file, JsonNode tree) throws IOException {
    AgentConfig agent = BootstrapConfig.load(file, tree, WindowsAgentConfig.DEFAULT_RESERVED);
    Optional<ClusterTrust> trust =
        agent.caFile() == null
            ? Optional.empty()
            : Optional.of(ClusterTrust.read(Path.of(agent.caFile())));
    return new Loaded(new WindowsAgentConfig(agent, null, null), Form.BOOTSTRAP, trust);
  }
}

package io.strata.agent.main;

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
import java.util.function.Function;

/**
 * Reads an agent's config file, in either of its two forms, for any platform:
 *
 * <ul>
 *   <li>the <b>agent config</b>: agent-core's {@code agent} section, the platform's own ({@code
 *       linux}, {@code windows}) and {@code docker} ({@link DockerSection}); YAML, or JSON when the
 *       file ends in {@code .json};
 *   <li>the <b>bootstrap config</b> the templates write ({@link BootstrapConfig}: {@code
 *       allocatorUrl}, {@code joinTokenFile}, …), whose token and CA files are read here; the
 *       platform's sections take their defaults.
 * </ul>
 *
 * Which form a file is follows from its top-level fields. Every mistake comes back as a {@link
 * ValidationException} with field paths of the file ({@code linux.cgroupParent}, {@code
 * joinTokenFile: cannot read …}).
 *
 * @param <C> the platform's config record
 */
public final class AgentConfigFile<C> {
  /** Which form a file was in. */
  public enum Form {
    AGENT,
    BOOTSTRAP
  }

  /** A config and the form it was read from. */
  public record Loaded<C>(C config, Form form) {}

  private final Class<C> type;
  private final String defaultReserved;
  private final Function<AgentConfig, C> fromBootstrap;

  /**
   * @param type the platform's config record (decoded strictly)
   * @param defaultReserved the platform's {@code agent.reserved} when the file sets none
   * @param fromBootstrap the platform's config around the {@code agent} section a bootstrap file
   *     gives (its other sections at their defaults)
   */
  public AgentConfigFile(
      Class<C> type, String defaultReserved, Function<AgentConfig, C> fromBootstrap) {
    this.type = type;
    this.defaultReserved = defaultReserved;
    this.fromBootstrap = fromBootstrap;
  }

  /** Reads {@code file}; IOException only for the file itself (missing, unreadable). */
  public Loaded<C> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Codec codec = file.toString().endsWith(".json") ? Codec.JSON : Codec.YAML;
    JsonNode tree;
    try {
      tree = codec.mapper().readTree(bytes);
    } catch (JsonProcessingException e) {
      // Let the codec word the syntax error (with its line and column).
      codec.decode(bytes, type);
      throw new ValidationException("", "cannot parse: " + e.getOriginalMessage());
    }
    if (tree instanceof ObjectNode object && object.has("agent")) {
      return new Loaded<>(decodeAgentForm(object), Form.AGENT);
    }
    if (BootstrapConfig.isBootstrap(tree)) {
      return new Loaded<>(
          fromBootstrap.apply(BootstrapConfig.load(file, tree, defaultReserved)), Form.BOOTSTRAP);
    }
    throw new ValidationException(
        "",
        "expected the agent config (with an 'agent' section) or the bootstrap config the"
            + " templates write (with 'allocatorUrl')");
  }

  /** The agent form, with the platform's reserve where the file sets none. */
  C decodeAgentForm(ObjectNode tree) {
    if (tree.get("agent") instanceof ObjectNode agent && !agent.has("reserved")) {
      agent.put("reserved", defaultReserved);
    }
    try {
      return Codec.JSON.decode(Codec.JSON.mapper().writeValueAsBytes(tree), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-encode a parsed config", e);
    }
  }
}

package io.strata.agent.windows.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.json.Checks;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the Windows agent's config file, in either of its two forms:
 *
 * <ul>
 *   <li>the <b>agent config</b> ({@link WindowsAgentConfig}: {@code agent}, {@code windows}, {@code
 *       docker}), YAML or JSON ({@code .json});
 *   <li>the <b>bootstrap config</b> the Windows template writes ({@link BootstrapConfig}: {@code
 *       allocatorUrl}, {@code joinTokenFile}, …), whose token file and CA file are read here.
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
    if (tree instanceof ObjectNode object && isBootstrap(object)) {
      return readBootstrap(file, codec.decode(bytes, BootstrapConfig.class));
    }
    throw new ValidationException(
        "",
        "expected the agent config (with an 'agent' section) or the bootstrap config the Windows"
            + " template writes (with 'allocatorUrl')");
  }

  /** Whether a file without an {@code agent} section means to be the bootstrap form. */
  private static boolean isBootstrap(ObjectNode tree) {
    for (var field : BootstrapConfig.class.getRecordComponents()) {
      if (tree.has(field.getName())) {
        return true;
      }
    }
    return false;
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

  private static Loaded readBootstrap(Path file, BootstrapConfig b) {
    Path dir = file.toAbsolutePath().getParent();
    Checks c = new Checks();
    String token = null;
    Path tokenFile = dir.resolve(b.joinTokenFile());
    try {
      token = stripBom(Files.readString(tokenFile, StandardCharsets.UTF_8)).strip();
      c.require(!token.isEmpty(), "joinTokenFile", tokenFile + " is empty");
      c.require(
          token.chars().noneMatch(Character::isWhitespace),
          "joinTokenFile",
          tokenFile + " must hold one token (it holds white space)");
    } catch (IOException e) {
      c.require(false, "joinTokenFile", "cannot read " + tokenFile + ": " + describe(e));
    }
    ClusterTrust trust = null;
    Path caFile = b.caFile() == null ? null : dir.resolve(b.caFile());
    if (caFile != null) {
      try {
        trust = ClusterTrust.read(caFile);
      } catch (IOException e) {
        c.require(false, "caFile", "cannot read " + caFile + ": " + describe(e));
      } catch (IllegalArgumentException e) {
        c.require(false, "caFile", caFile + " " + e.getMessage());
      }
    }
    c.done();
    WindowsAgentConfig config =
        b.toConfig(
            dir.resolve(b.workDir()).toString(), token, caFile == null ? null : caFile.toString());
    return new Loaded(config, Form.BOOTSTRAP, Optional.ofNullable(trust));
  }

  private static String stripBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}

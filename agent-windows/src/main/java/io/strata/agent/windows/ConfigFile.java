package io.strata.agent.windows;

import io.strata.agent.BootstrapConfig;
import io.strata.agent.main.AgentConfigFile;
import io.strata.agent.main.AgentConfigFile.Form;
import io.strata.api.client.ClusterTrust;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the Windows agent's config file, in either of its two forms (agent-core's {@link
 * AgentConfigFile}, with Windows' reserve), and the cluster CA the bootstrap form names:
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
  private static final AgentConfigFile<WindowsAgentConfig> FILE =
      new AgentConfigFile<>(
          WindowsAgentConfig.class, WindowsAgentConfig.DEFAULT_RESERVED, WindowsAgentConfig::new);

  private ConfigFile() {}

  /**
   * @param trust the cluster CA to trust for the allocator, if the file names one
   */
  public record Loaded(WindowsAgentConfig config, Form form, Optional<ClusterTrust> trust) {}

  /** Reads {@code file}; IOException only for the file itself (missing, unreadable). */
  public static Loaded read(Path file) throws IOException {
    AgentConfigFile.Loaded<WindowsAgentConfig> loaded = FILE.read(file);
    if (loaded.form() == Form.AGENT) {
      return new Loaded(loaded.config(), loaded.form(), Optional.empty());
    }
    // The bootstrap form's CA, already checked by BootstrapConfig, is also trusted by the JVM.
    String caFile = loaded.config().agent().caFile();
    Optional<ClusterTrust> trust =
        caFile == null ? Optional.empty() : Optional.of(ClusterTrust.read(Path.of(caFile)));
    return new Loaded(loaded.config(), loaded.form(), trust);
  }
}

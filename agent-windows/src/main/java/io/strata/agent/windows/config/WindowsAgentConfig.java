package io.strata.agent.windows.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.strata.agent.AgentConfig;
import io.strata.agent.windows.container.WindowsContainers;
import io.strata.agent.windows.core.TaskAccount;
import io.strata.api.json.Checks;
import java.util.List;
import java.util.Locale;

/**
 * The Windows agent's config file, in the Linux agent's shape: the common {@code agent} section
 * (agent-core's {@link AgentConfig}), plus {@code windows} and {@code docker}. Decoded strictly; a
 * mistake is reported with its path ({@code windows.agentAccountAliases[0]}). {@link ConfigFile}
 * also reads the bootstrap form the Terraform template writes and turns it into this.
 *
 * <pre>
 * agent:
 *   workDir: C:\ProgramData\Strata\work
 *   allocator: http://10.0.0.2:5050   # or a list: http://a:5050,http://b:5050; or zk://z1:2181/strata
 *   joinToken: ...
 *   reserved: "cpus:0;mem:1024"      # Windows' default: 1 GiB kept for Windows and the agent
 * windows:
 *   agentAccountAliases: [nobody]    # task users that run as the agent's own account
 * docker:
 *   mode: auto                       # auto | on | off
 *   host: npipe:////./pipe/docker_engine
 * </pre>
 */
public record WindowsAgentConfig(AgentConfig agent, Windows windows, Docker docker) {
  /**
   * What the Windows agent keeps for Windows itself and the agent when {@code agent.reserved} is
   * not set: a Windows Server idles at about 1 GiB of commit (agent-core's 256 MiB suits Linux).
   */
  public static final String DEFAULT_RESERVED = "cpus:0;mem:1024";

  public WindowsAgentConfig {
    new Checks().notNull("agent", agent).done();
    windows = windows == null ? new Windows(null) : windows;
    docker = docker == null ? new Docker(null, null) : docker;
  }

  /**
   * @param agentAccountAliases task users that run as the agent's own account (see {@link
   *     io.strata.agent.windows.core.TaskAccount}); {@code [nobody]} by default, so that tasks
   *     whose framework names no Windows user run. An empty list makes every task name the agent's
   *     account.
   */
  public record Windows(List<String> agentAccountAliases) {
    public Windows {
      Checks c = new Checks().noNullElements("agentAccountAliases", agentAccountAliases);
      agentAccountAliases =
          agentAccountAliases == null
              ? List.copyOf(TaskAccount.DEFAULT_ALIASES)
              : agentAccountAliases.stream().filter(a -> a != null).toList();
      for (int i = 0; i < agentAccountAliases.size(); i++) {
        c.notBlank("agentAccountAliases[" + i + "]", agentAccountAliases.get(i));
      }
      c.done();
    }
  }

  /**
   * @param mode on: Windows containers are required; auto: used if a Windows engine answers at
   *     start; off: never
   * @param host the engine's address: {@code npipe:////./pipe/docker_engine} by default, or {@code
   *     tcp://host:port}
   */
  public record Docker(Mode mode, String host) {
    /** See {@link Docker}. */
    public enum Mode {
      AUTO,
      ON,
      OFF;

      @JsonValue
      public String wire() {
        return name().toLowerCase(Locale.ROOT);
      }

      /** Accepts auto, on, off in any case. */
      @JsonCreator
      public static Mode parse(String text) {
        for (Mode m : values()) {
          if (m.name().equalsIgnoreCase(text)) {
            return m;
          }
        }
        throw new IllegalArgumentException("must be one of [auto, on, off] (was '" + text + "')");
      }
    }

    public Docker {
      mode = mode == null ? Mode.AUTO : mode;
      host = host == null ? WindowsContainers.DEFAULT_HOST : host;
      new Checks()
          .require(
              host.startsWith("npipe://")
                  || host.startsWith("tcp://")
                  || host.startsWith("unix://"),
              "host",
              "must be npipe:////./pipe/NAME, tcp://host:port or unix:///path (was '" + host + "')")
          .done();
    }
  }
}

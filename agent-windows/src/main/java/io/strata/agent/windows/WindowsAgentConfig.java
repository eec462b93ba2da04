package io.strata.agent.windows;

import io.strata.agent.AgentConfig;
import io.strata.agent.main.DockerSection;
import io.strata.agent.windows.container.WindowsContainers;
import io.strata.agent.windows.plan.TaskAccount;
import io.strata.api.json.Checks;
import java.util.List;

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
public record WindowsAgentConfig(AgentConfig agent, Windows windows, DockerSection docker) {
  /**
   * What the Windows agent keeps for Windows itself and the agent when {@code agent.reserved} is
   * not set: a Windows Server idles at about 1 GiB of commit (agent-core's 256 MiB suits Linux).
   */
  public static final String DEFAULT_RESERVED = "cpus:0;mem:1024";

  public WindowsAgentConfig {
    new Checks().notNull("agent", agent).done();
    windows = windows == null ? new Windows(null) : windows;
    docker =
        DockerSection.withDefaultHost(
            docker,
            WindowsContainers.DEFAULT_HOST,
            List.of("npipe://", "tcp://", "unix://"),
            "npipe:////./pipe/NAME, tcp://host:port or unix:///path");
  }

  /** The {@code agent} section alone: {@code windows} and {@code docker} take their defaults. */
  public WindowsAgentConfig(AgentConfig agent) {
    this(agent, null, null);
  }

  /**
   * @param agentAccountAliases task users that run as the agent's own account (see {@link
   *     io.strata.agent.windows.plan.TaskAccount}); {@code [nobody]} by default, so that tasks
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
}

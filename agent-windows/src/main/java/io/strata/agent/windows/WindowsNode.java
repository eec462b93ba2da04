package io.strata.agent.windows;

import com.github.dockerjava.api.DockerClient;
import io.strata.agent.Agent;
import io.strata.agent.containerizer.Containerizer;
import io.strata.agent.main.DockerSection;
import io.strata.agent.main.DockerSection.Mode;
import io.strata.agent.windows.container.WindowsContainers;
import io.strata.agent.windows.exec.Accounts;
import io.strata.agent.windows.exec.HolderCommand;
import io.strata.agent.windows.exec.NativeAccounts;
import io.strata.agent.windows.exec.TaskUsers;
import io.strata.agent.windows.exec.WindowsContainerizer;
import io.strata.agent.windows.jna.JobKernel32;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a Windows agent: agent-core's {@link Agent} with this machine ({@link WindowsMachine})
 * and the Windows containerizers: native tasks in job objects ({@link WindowsContainerizer},
 * always) and Windows containers ({@link WindowsContainers}) when the config and the engine allow.
 */
public final class WindowsNode {
  private static final Logger LOG = LoggerFactory.getLogger(WindowsNode.class);

  private WindowsNode() {}

  /**
   * What the node needs from the operating system: real on Windows ({@link #local()}), mocks in
   * tests elsewhere.
   *
   * @param holderCommand the command line that starts the job handle holder
   * @param dockerClients opens a docker-java client for an engine address
   */
  public record Platform(
      JobKernel32 kernel,
      Accounts accounts,
      Map<String, String> environment,
      String holderCommand,
      Function<String, DockerClient> dockerClients,
      Clock clock) {

    /** This Windows machine. */
    public static Platform local() {
      return new Platform(
          JobKernel32.load(),
          new NativeAccounts(),
          System.getenv(),
          HolderCommand.ofThisJvm(),
          WindowsContainers::client,
          Clock.systemUTC());
    }
  }

  /** The agent, not started yet. */
  public static Agent agent(WindowsAgentConfig config, Platform platform, Agent.Timings timings)
      throws IOException {
    List<Containerizer> containerizers = containerizers(config, platform);
    return new Agent(
        config.agent(),
        containerizers,
        new WindowsMachine(platform.kernel(), platform.environment()),
        platform.clock(),
        timings);
  }

  /**
   * The containerizers this machine and config call for. Throws IOException when {@code
   * docker.mode} is on and no Windows engine answers.
   */
  public static List<Containerizer> containerizers(WindowsAgentConfig config, Platform platform)
      throws IOException {
    Path work = Path.of(config.agent().workDir()).toAbsolutePath();
    TaskUsers users =
        new TaskUsers(platform.accounts(), new HashSet<>(config.windows().agentAccountAliases()));
    List<Containerizer> list = new ArrayList<>();
    WindowsContainerizer jobs =
        new WindowsContainerizer(
            platform.kernel(),
            work,
            platform.clock(),
            users,
            platform.environment(),
            platform.holderCommand());
    list.add(jobs);
    try {
      windowsContainers(config.docker(), platform).ifPresent(list::add);
    } catch (IOException | RuntimeException e) {
      jobs.close();
      throw e;
    }
    return list;
  }

  private static Optional<Containerizer> windowsContainers(DockerSection docker, Platform platform)
      throws IOException {
    if (docker.mode() == Mode.OFF) {
      return Optional.empty();
    }
    DockerClient client = platform.dockerClients().apply(docker.host());
    Optional<String> unusable = unusable(client);
    if (unusable.isEmpty()) {
      return Optional.of(new WindowsContainers(client, platform.clock()));
    }
    client.close();
    if (docker.mode() == Mode.ON) {
      throw new IOException(
          "docker.mode is on but the engine at " + docker.host() + " " + unusable.get());
    }
    LOG.warn(
        "no Windows containers: the engine at {} {}; running native tasks only",
        docker.host(),
        unusable.get());
    return Optional.empty();
  }

  /** Why the engine cannot run Windows containers for us, if it cannot. */
  static Optional<String> unusable(DockerClient client) {
    String os;
    try {
      os = client.infoCmd().exec().getOsType();
    } catch (RuntimeException | LinkageError e) {
      // LinkageError: the named-pipe transport's native part is missing (off Windows).
      return Optional.of("does not answer: " + e);
    }
    if (!"windows".equalsIgnoreCase(os)) {
      return Optional.of(
          "runs "
              + os
              + " containers, not Windows containers (switch the engine to Windows"
              + " containers)");
    }
    return Optional.empty();
  }
}

package io.strata.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code strata agent} hands its arguments to the agent's main, which reads them itself. */
class AgentCommandTest {
  static java.util.List<String> forwarded(String... argv) {
    return AgentCommand.forwarded(new CommandLine(new AgentCommand()).parseArgs(argv));
  }

  @Test
  void theAgentsFlagsReachItsMainAsGiven() {
    assertThat(
            forwarded(
                "--allocator=http://10.0.0.2:5050",
                "--join-token-file",
                "join.token",
                "--attribute",
                "zone=a",
                "--work-dir",
                "/var/lib/strata/agent",
                "--attribute",
                "rack=7"))
        .containsExactly(
            "--allocator",
            "http://10.0.0.2:5050",
            "--join-token-file",
            "join.token",
            "--attribute",
            "zone=a",
            "--attribute",
            "rack=7",
            "--work-dir",
            "/var/lib/strata/agent");
  }

  @Test
  void theWindowsAgentGetsItsOwnCommandsButNotTheSwitch() {
    assertThat(forwarded("--windows", "--config", "C:\\strata\\agent.yaml", "--check", "info"))
        .containsExactly("--config", "C:\\strata\\agent.yaml", "--check", "info");
  }
}

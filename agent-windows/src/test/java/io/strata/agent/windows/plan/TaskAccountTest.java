package io.strata.agent.windows.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.windows.plan.TaskAccount.AgentAccount;
import io.strata.agent.windows.plan.TaskAccount.Decision;
import io.strata.agent.windows.plan.TaskAccount.Refused;
import io.strata.agent.windows.plan.TaskAccount.RunAsAgent;
import io.strata.api.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskAccountTest {
  static final AgentAccount SERVICE = new AgentAccount("StrataAgent", "NT SERVICE", "S-1-5-80-1");
  static final AgentAccount SYSTEM = new AgentAccount("SYSTEM", "NT AUTHORITY", "S-1-5-18");
  static final Map<String, String> MACHINE =
      Map.of(
          "nt service\\strataagent", "S-1-5-80-1",
          "strataagent@corp", "S-1-5-80-1",
          "administrator", "S-1-5-21-9-500",
          "system", "S-1-5-18");
  final List<String> lookups = new ArrayList<>();

  Decision decide(String user, AgentAccount agent, Set<String> aliases) {
    return TaskAccount.decide(
        user,
        agent,
        aliases,
        name -> {
          lookups.add(name);
          return Optional.ofNullable(MACHINE.get(name.toLowerCase(java.util.Locale.ROOT)));
        });
  }

  @Test
  void agentCoresDefaultUserRunsAsTheAgentWithoutALookup() {
    Decision d = decide("nobody", SERVICE, TaskAccount.DEFAULT_ALIASES);
    assertThat(d).isInstanceOf(RunAsAgent.class);
    assertThat(((RunAsAgent) d).account()).isEqualTo("NT SERVICE\\StrataAgent");
    assertThat(decide("NOBODY", SERVICE, Set.of("nobody"))).isInstanceOf(RunAsAgent.class);
    assertThat(lookups).isEmpty();
  }

  @Test
  void theAgentsOwnAccountRunsByAnyOfItsNames() {
    for (String name :
        List.of("StrataAgent", "strataagent", "NT SERVICE\\StrataAgent", ".\\StrataAgent")) {
      assertThat(decide(name, SERVICE, Set.of())).as(name).isInstanceOf(RunAsAgent.class);
    }
    assertThat(lookups).isEmpty();
    // A user principal name resolves to the same SID.
    assertThat(decide("StrataAgent@corp", SERVICE, Set.of())).isInstanceOf(RunAsAgent.class);
    assertThat(lookups).containsExactly("StrataAgent@corp");
  }

  @Test
  void localSystemIsTheNameTheServiceManagerGivesSystem() {
    assertThat(decide("LocalSystem", SYSTEM, Set.of())).isInstanceOf(RunAsAgent.class);
    assertThat(decide(".\\LocalSystem", SYSTEM, Set.of())).isInstanceOf(RunAsAgent.class);
    assertThat(decide("LocalSystem", SERVICE, Set.of())).isInstanceOf(Refused.class);
  }

  @Test
  void anotherAccountIsRefusedAsUnauthorizedSayingWhatWouldRun() {
    Decision d = decide("Administrator", SERVICE, TaskAccount.DEFAULT_ALIASES);
    assertThat(d)
        .isEqualTo(
            new Refused(
                Reason.UNAUTHORIZED,
                "task.user: the Windows agent runs tasks as its own account 'NT SERVICE\\StrataAgent'"
                    + " only, not as 'Administrator' (running as another account is not"
                    + " supported); leave the user unset or name 'NT SERVICE\\StrataAgent'"));
    // An alias is not a way around it: only the names listed run as the agent.
    assertThat(decide("system", SERVICE, Set.of("nobody"))).isInstanceOf(Refused.class);
  }

  @Test
  void anUnknownUserFailsTheLaunchWithItsName() {
    assertThat(decide("nobody", SERVICE, Set.of()))
        .isEqualTo(
            new Refused(Reason.LAUNCH_FAILED, "task.user: no account 'nobody' on this machine"));
    assertThat(decide("root", SERVICE, TaskAccount.DEFAULT_ALIASES))
        .isEqualTo(
            new Refused(Reason.LAUNCH_FAILED, "task.user: no account 'root' on this machine"));
  }

  @Test
  void aQualifiedNameOfTheSameBareNameInAnotherDomainIsNotTheAgent() {
    assertThat(TaskAccount.namesAgent("OTHER\\StrataAgent", SERVICE)).isFalse();
    assertThat(decide("OTHER\\StrataAgent", SERVICE, Set.of()))
        .isEqualTo(
            new Refused(
                Reason.LAUNCH_FAILED,
                "task.user: no account 'OTHER\\StrataAgent' on this machine"));
  }
}

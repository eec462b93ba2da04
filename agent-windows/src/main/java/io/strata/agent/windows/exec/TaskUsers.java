package io.strata.agent.windows.exec;

import io.strata.agent.windows.plan.TaskAccount;
import java.util.Set;

/**
 * The task-user rule of this agent ({@link TaskAccount}) applied with the machine's accounts.
 *
 * @param accounts the machine's account lookups
 * @param agentAccountAliases user names that run as the agent's own account ({@code
 *     windows.agentAccountAliases}; {@code nobody} by default)
 */
public record TaskUsers(Accounts accounts, Set<String> agentAccountAliases) {
  public TaskUsers {
    agentAccountAliases = Set.copyOf(agentAccountAliases);
  }

  /** Whom a task asking for {@code user} runs as, or why it cannot run. May block (lookups). */
  public TaskAccount.Decision decide(String user) {
    return TaskAccount.decide(user, accounts.current(), agentAccountAliases, accounts::sidOf);
  }
}

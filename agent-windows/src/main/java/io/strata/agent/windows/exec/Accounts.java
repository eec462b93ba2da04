package io.strata.agent.windows.exec;

import io.strata.agent.windows.plan.TaskAccount;
import java.util.Optional;

/** The Windows accounts a task may name, and the one the agent runs as. */
public interface Accounts {
  /**
   * The SID (string form, {@code S-1-5-…}) of the account {@code user} designates on this machine
   * or its domain; empty if it designates none. Throws {@link IllegalStateException} when the
   * lookup itself fails (a domain controller unreachable, say). May block on the network.
   */
  Optional<String> sidOf(String user);

  /** The account the agent's process runs as (its token's user). */
  TaskAccount.AgentAccount current();
}

package io.strata.agent.windows.plan;

import io.strata.api.Reason;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Windows account a native task runs as. Pure.
 *
 * <p>The Windows agent starts every task with its own token (CreateProcessW): a task runs as the
 * agent's service account, or not at all. Running as another account would need
 * CreateProcessAsUserW with a token from LogonUserW (the account's password, which tasks do not
 * carry) or from an S4U logon (SeTcbPrivilege, plus access for the account to the service's window
 * station and desktop), and neither is implemented. So:
 *
 * <ol>
 *   <li>a user listed in {@code aliases} (by default {@code nobody}: agent-core's default user, and
 *       what Linux-minded frameworks send) runs as the agent's account. Without this, every task
 *       from a framework that does not name a Windows user would fail on Windows;
 *   <li>the agent's own account, by any of its names ({@code name}, {@code DOMAIN\name}, {@code
 *       .\name}, {@code LocalSystem}/{@code LocalService}/{@code NetworkService} for those
 *       accounts, or whatever resolves to its SID), runs;
 *   <li>a name that resolves to no account fails with LAUNCH_FAILED (as on Linux);
 *   <li>any other account is refused with UNAUTHORIZED.
 * </ol>
 */
public final class TaskAccount {
  private TaskAccount() {}

  /**
   * The aliases of the agent's account unless the operator says otherwise: agent-core's default
   * user, which Linux-minded frameworks also send.
   */
  public static final Set<String> DEFAULT_ALIASES = Set.of("nobody");

  /** The agent's own account, as its process token names it. */
  public record AgentAccount(String name, String domain, String sid) {
    /** {@code DOMAIN\name}, or the bare name when there is no domain. */
    public String qualified() {
      return domain == null || domain.isEmpty() ? name : domain + "\\" + name;
    }
  }

  /** Finds the SID of the account a name designates; empty if it designates none. */
  @FunctionalInterface
  public interface SidLookup {
    Optional<String> sidOf(String accountName);
  }

  /** The outcome. */
  public sealed interface Decision {}

  /**
   * Run the task with the agent's token.
   *
   * @param account the agent's account ({@code DOMAIN\name})
   * @param why how the requested user led there, for the log and the checkpoint
   */
  public record RunAsAgent(String account, String why) implements Decision {}

  /** The task cannot run as the requested user on this agent. */
  public record Refused(Reason reason, String message) implements Decision {}

  /** What SCM account names mean, by well-known SID (sc.exe obj= takes these names). */
  private static final java.util.Map<String, String> SERVICE_ACCOUNT_NAMES =
      java.util.Map.of(
          "S-1-5-18", "localsystem",
          "S-1-5-19", "localservice",
          "S-1-5-20", "networkservice");

  /**
   * @param requested the user agent-core resolved for the task (task, else framework, else the
   *     agent's {@code defaultUser}); never null
   * @param aliases user names that mean "the agent's own account" (compared ignoring case)
   */
  public static Decision decide(
      String requested, AgentAccount agent, Set<String> aliases, SidLookup lookup) {
    if (containsIgnoringCase(aliases, requested)) {
      return new RunAsAgent(
          agent.qualified(),
          "'" + requested + "' is one of the users that run as the agent's own account");
    }
    if (namesAgent(requested, agent)) {
      return new RunAsAgent(agent.qualified(), "'" + requested + "' is the agent's own account");
    }
    Optional<String> sid = lookup.sidOf(requested);
    if (sid.isEmpty()) {
      return new Refused(
          Reason.LAUNCH_FAILED, "task.user: no account '" + requested + "' on this machine");
    }
    if (sid.get().equalsIgnoreCase(agent.sid())) {
      return new RunAsAgent(
          agent.qualified(), "'" + requested + "' resolves to the agent's own account");
    }
    return new Refused(
        Reason.UNAUTHORIZED,
        "task.user: the Windows agent runs tasks as its own account '"
            + agent.qualified()
            + "' only, not as '"
            + requested
            + "' (running as another account is not supported); leave the user unset or name '"
            + agent.qualified()
            + "'");
  }

  /** Names the agent's account without a lookup: its name, qualified or not, or its SCM name. */
  static boolean namesAgent(String requested, AgentAccount agent) {
    String r = requested.toLowerCase(Locale.ROOT);
    String name = agent.name().toLowerCase(Locale.ROOT);
    if (r.equals(name) || r.equals(".\\" + name)) {
      return true;
    }
    if (agent.domain() != null && r.equals(agent.qualified().toLowerCase(Locale.ROOT))) {
      return true;
    }
    String scmName = SERVICE_ACCOUNT_NAMES.get(agent.sid());
    return scmName != null && (r.equals(scmName) || r.equals(".\\" + scmName));
  }

  private static boolean containsIgnoringCase(Set<String> names, String name) {
    Set<String> folded = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    folded.addAll(names);
    return folded.contains(name);
  }
}

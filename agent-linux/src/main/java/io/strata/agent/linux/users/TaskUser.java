package io.strata.agent.linux.users;

import io.strata.agent.linux.jna.Posix;
import io.strata.api.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a task runs as, and how to become them: {@code setpriv} (util-linux) drops from root to the
 * task's uid and gid just before the task's command is exec'd, with the supplementary groups of a
 * named user ({@code --init-groups}) or none for an allocated uid ({@code --clear-groups}), no
 * capabilities in any set (inheritable, ambient, bounding) and NoNewPrivs set. Root is refused
 * unless the agent allows it; an agent that is not root can only run tasks as itself.
 */
public final class TaskUser {
  public static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private TaskUser() {}

  /**
   * A task's identity.
   *
   * @param name the user's name, or the uid in decimal for an allocated uid (no passwd entry)
   * @param named whether it is a user of /etc/passwd (its groups are joined) rather than a uid
   *     allocated from the agent's range (no supplementary groups)
   * @param home $HOME: the user's home, or the sandbox for an allocated uid
   */
  public record Identity(String name, int uid, int gid, boolean named, String home, String shell) {

    static Identity of(Posix.User user) {
      return new Identity(user.name(), user.uid(), user.gid(), true, user.home(), user.shell());
    }

    static Identity allocated(int uid, Path sandbox) {
      return new Identity(Integer.toString(uid), uid, uid, false, sandbox.toString(), "/bin/sh");
    }

    /** What the checkpoint keeps, to switch to the same identity after a restart. */
    public Map<String, String> details() {
      return Map.of(
          "user",
          name,
          "uid",
          Integer.toString(uid),
          "gid",
          Integer.toString(gid),
          "groups",
          named ? "user" : "none");
    }

    /** The identity a checkpoint kept; an older one (name only) is looked up again. */
    public static Optional<Identity> fromDetails(Map<String, String> details, Path sandbox)
        throws IOException {
      String uid = details.get("uid");
      String gid = details.get("gid");
      String name = details.getOrDefault("user", "nobody");
      if (uid != null && gid != null) {
        boolean named = !"none".equals(details.get("groups"));
        return Optional.of(
            new Identity(
                name,
                Integer.parseInt(uid),
                Integer.parseInt(gid),
                named,
                named ? "" : sandbox.toString(),
                "/bin/sh"));
      }
      return Posix.user(name).map(Identity::of);
    }
  }

  /** The outcome of {@link #resolve}. */
  public sealed interface Resolution {}

  /** Run the command behind {@code prefix} (empty when no switch is needed). */
  public record Resolved(Identity user, List<String> prefix) implements Resolution {}

  /** The task cannot run as this user here. */
  public record Refused(Reason reason, String message) implements Resolution {}

  /** Checks a named user: it exists, it is not root unless allowed, the agent can become it. */
  public static Resolution resolve(String name, boolean allowRoot) throws IOException {
    Optional<Posix.User> found = Posix.user(name);
    if (found.isEmpty()) {
      return new Refused(
          Reason.LAUNCH_FAILED, "task.user: user '" + name + "' does not exist on this agent");
    }
    Posix.User user = found.get();
    if (user.uid() == 0 && !allowRoot) {
      return new Refused(
          Reason.UNAUTHORIZED,
          "task.user: '"
              + name
              + "' is root, and this agent does not run tasks as root"
              + " (set allowRootTasks in its config to allow it)");
    }
    return become(Identity.of(user));
  }

  /** How to become {@code user} from this agent, or why it cannot. */
  public static Resolution become(Identity user) {
    int self = Posix.euid();
    if (user.uid() == self) {
      return new Resolved(user, List.of());
    }
    if (self != 0) {
      return new Refused(
          Reason.UNAUTHORIZED,
          "task.user: this agent runs as uid "
              + self
              + " and cannot run tasks as '"
              + user.name()
              + "'");
    }
    if (!Files.isExecutable(SETPRIV)) {
      return new Refused(
          Reason.LAUNCH_FAILED,
          "task.user: cannot switch to '"
              + user.name()
              + "': "
              + SETPRIV
              + " (util-linux) is missing");
    }
    return new Resolved(user, prefix(user));
  }

  /** The setpriv command line that drops to {@code user}. */
  static List<String> prefix(Identity user) {
    List<String> p = new ArrayList<>();
    p.add(SETPRIV.toString());
    p.add("--reuid=" + user.uid());
    p.add("--regid=" + user.gid());
    p.add(user.named() ? "--init-groups" : "--clear-groups");
    // Already inherited from the agent's spawning thread (Posix.spawnIn); said again here so a
    // task never depends on it. A uid other than 0 loses its capabilities anyway; the empty
    // bounding set and inheritable set make sure no exec can bring one back.
    p.add("--no-new-privs");
    p.add("--inh-caps=-all");
    p.add("--bounding-set=-all");
    p.add("--");
    return List.copyOf(p);
  }
}

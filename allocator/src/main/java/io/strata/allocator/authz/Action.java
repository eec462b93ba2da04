package io.strata.allocator.authz;

import java.util.Locale;

/**
 * What a principal does, named as Mesos' local authorizer names its ACLs where Mesos has the action
 * ({@code register_frameworks}, {@code teardown_frameworks}, {@code reserve_resources}, ...). Each
 * action is done on one kind of object: a role, a framework's principal, an agent, a view.
 */
public enum Action {
  /** SUBSCRIBE a framework in a role (every role it names). Object: the role. */
  REGISTER_FRAMEWORKS(ObjectKind.ROLE),
  /** Tear down a framework through the operator API. Object: the framework's principal. */
  TEARDOWN_FRAMEWORKS(ObjectKind.PRINCIPAL),
  /** RESERVE resources in ACCEPT. Object: the role reserved for. */
  RESERVE_RESOURCES(ObjectKind.ROLE),
  /** UNRESERVE resources in ACCEPT. Object: the role of the reservation. */
  UNRESERVE_RESOURCES(ObjectKind.ROLE),
  /** Set a role's quota ({@code PUT /v1/roles/{role}} with a quota). Object: the role. */
  UPDATE_QUOTAS(ObjectKind.ROLE),
  /** Set a role's weight ({@code PUT /v1/roles/{role}} with a weight). Object: the role. */
  UPDATE_WEIGHTS(ObjectKind.ROLE),
  /** Drain an agent (maintenance). Object: the agent id. */
  DRAIN_AGENTS(ObjectKind.AGENT),
  /** Reactivate a drained agent. Object: the agent id. */
  REACTIVATE_AGENTS(ObjectKind.AGENT),
  /** Revoke an agent's own credential (the agent is removed). Object: the agent id. */
  REVOKE_AGENTS(ObjectKind.AGENT),
  /** Issue and revoke join tokens. Object: the join token id ({@code new} when issuing one). */
  MANAGE_JOIN_TOKENS(ObjectKind.JOIN_TOKEN),
  /** Read the operator API. Object: what is read ({@link View}). */
  VIEW(ObjectKind.VIEW),
  /**
   * Create, update, scale, run, kill and remove the built-in frameworks' apps and jobs. Object: the
   * role the built-in framework runs them in ({@code services} for apps, {@code jobs} for jobs).
   */
  RUN_WORKLOADS(ObjectKind.ROLE),
  /**
   * Call as a framework: scheduler calls after SUBSCRIBE, the framework's store. Object: the
   * framework's principal. Not configurable: a framework is its own principal's only.
   */
  ACT_AS_FRAMEWORK(ObjectKind.PRINCIPAL);

  /** What an action's object is; decides how an ACL's object values match. */
  public enum ObjectKind {
    /** A role: a value allows that role and the roles below it; {@code *} allows every role. */
    ROLE,
    PRINCIPAL,
    AGENT,
    JOIN_TOKEN,
    VIEW
  }

  private final ObjectKind objectKind;

  Action(ObjectKind objectKind) {
    this.objectKind = objectKind;
  }

  public ObjectKind objectKind() {
    return objectKind;
  }

  /** The name in configuration files and messages, e.g. {@code register_frameworks}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True if operators may write ACLs for it ({@link #ACT_AS_FRAMEWORK} is fixed). */
  public boolean configurable() {
    return this != ACT_AS_FRAMEWORK;
  }

  /** What {@link #VIEW} is done on. */
  public static final class View {
    public static final String STATE = "state";
    public static final String AGENTS = "agents";
    public static final String FRAMEWORKS = "frameworks";
    public static final String TASKS = "tasks";
    public static final String ROLES = "roles";
    public static final String METRICS = "metrics";
    public static final String JOIN_TOKENS = "join_tokens";
    public static final String WORKLOADS = "workloads";

    private View() {}
  }
}

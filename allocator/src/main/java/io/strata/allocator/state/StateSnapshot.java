package io.strata.allocator.state;

import java.util.List;

/**
 * The allocator's durable state at one moment, in a canonical order (every list sorted by its key),
 * so that equal states are equal values and serialize to the same bytes.
 *
 * @param goneAgents agents removed as GONE: they may not register again with their id until it is
 *     forgotten
 * @param removedFrameworks frameworks torn down: they may not re-subscribe with their id until it
 *     is forgotten
 * @param joinTokens join tokens operators issued, and the configured one's revocation (absent in
 *     older snapshots)
 */
public record StateSnapshot(
    List<AgentRecord> agents,
    List<GoneAgent> goneAgents,
    List<FrameworkRecord> frameworks,
    List<RemovedFramework> removedFrameworks,
    List<TaskRecord> tasks,
    List<RoleRecord> roles,
    List<StoreEntry> store,
    List<JoinTokenRecord> joinTokens) {

  public static final StateSnapshot EMPTY =
      new StateSnapshot(
          List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

  /** A state without join tokens. */
  public StateSnapshot(
      List<AgentRecord> agents,
      List<GoneAgent> goneAgents,
      List<FrameworkRecord> frameworks,
      List<RemovedFramework> removedFrameworks,
      List<TaskRecord> tasks,
      List<RoleRecord> roles,
      List<StoreEntry> store) {
    this(agents, goneAgents, frameworks, removedFrameworks, tasks, roles, store, List.of());
  }

  public StateSnapshot {
    agents = agents == null ? List.of() : List.copyOf(agents);
    goneAgents = goneAgents == null ? List.of() : List.copyOf(goneAgents);
    frameworks = frameworks == null ? List.of() : List.copyOf(frameworks);
    removedFrameworks = removedFrameworks == null ? List.of() : List.copyOf(removedFrameworks);
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    roles = roles == null ? List.of() : List.copyOf(roles);
    store = store == null ? List.of() : List.copyOf(store);
    joinTokens = joinTokens == null ? List.of() : List.copyOf(joinTokens);
  }
}

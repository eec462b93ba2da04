package io.strata.allocator.server.master;

import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.Resources;
import io.strata.api.operator.AgentState;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.RoleView;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.LaunchedTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** What operators see: consistent views taken under the master's lock. */
public final class Views {
  static final String VERSION = "0.1.0";
  private final Master m;

  Views(Master master) {
    this.m = master;
  }

  public ClusterState state() {
    return m.read(
        () ->
            new ClusterState(
                VERSION,
                m.startedAt,
                agentsLocked(),
                frameworksLocked(),
                tasksLocked(),
                rolesLocked()));
  }

  public List<AgentView> agents() {
    return m.read(this::agentsLocked);
  }

  public AgentView agent(AgentId id) {
    return m.read(() -> agentLocked(id));
  }

  public List<FrameworkView> frameworks() {
    return m.read(this::frameworksLocked);
  }

  public FrameworkView framework(FrameworkId id) {
    return m.read(
        () -> {
          FrameworkEntry f = m.frameworks.get(id);
          if (f == null) {
            throw m.removedFrameworks.contains(id)
                ? ApiError.gone("framework " + id + " was torn down")
                : ApiError.notFound("no framework " + id);
          }
          return view(f);
        });
  }

  public List<TaskView> tasks() {
    return m.read(this::tasksLocked);
  }

  /** The framework's tasks, as it may read them itself: where each runs, with what. */
  public List<LaunchedTask> tasksOf(FrameworkId id) {
    return m.read(
        () -> {
          List<LaunchedTask> out = new ArrayList<>();
          for (TaskRecord t : m.durable().tasks()) {
            if (t.frameworkId().equals(id)) {
              AgentEntry a = m.agents.get(t.agentId());
              out.add(
                  new LaunchedTask(
                      t.task().taskId(),
                      t.agentId(),
                      a == null ? null : a.record.info().hostname(),
                      t.task().resources(),
                      t.latest().state(),
                      t.task().labels()));
            }
          }
          out.sort(Comparator.comparing(LaunchedTask::taskId));
          return out;
        });
  }

  public List<RoleView> roles() {
    return m.read(this::rolesLocked);
  }

  AgentView agentLocked(AgentId id) {
    AgentEntry a = m.agents.get(id);
    if (a == null) {
      throw m.goneAgents.contains(id)
          ? ApiError.gone("agent " + id + " was removed")
          : ApiError.notFound("no agent " + id);
    }
    return view(a);
  }

  /** The last view of an agent just removed. */
  AgentView gone(AgentEntry a) {
    return view(a, AgentState.GONE);
  }

  private AgentView view(AgentEntry a) {
    return view(a, a.state());
  }

  private AgentView view(AgentEntry a, AgentState state) {
    AgentId id = a.record.id();
    boolean inCore = m.core.hasAgent(id);
    return new AgentView(
        id,
        a.record.info(),
        state,
        inCore ? m.core.agentTotal(id) : a.record.total(),
        inCore ? m.core.agentAllocated(id) : ResourcePool.EMPTY,
        inCore ? m.core.agentAvailable(id) : ResourcePool.EMPTY,
        m.tasks().activeOn(a).size(),
        a.record.registeredAt(),
        a.lastSeen,
        a.record.drainDeadline(),
        inCore ? m.core.agentOvercommitted(id) : Resources.EMPTY);
  }

  private List<AgentView> agentsLocked() {
    List<AgentView> out = new ArrayList<>();
    m.agents.values().forEach(a -> out.add(view(a)));
    return out;
  }

  private List<FrameworkView> frameworksLocked() {
    List<FrameworkView> out = new ArrayList<>();
    m.frameworks.values().forEach(f -> out.add(view(f)));
    return out;
  }

  private FrameworkView view(FrameworkEntry f) {
    FrameworkId id = f.record.id();
    boolean inCore = m.core.hasFramework(id);
    int active = 0;
    for (TaskRecord t : m.tasks().of(f)) {
      if (t.latest().state().isActive()) {
        active++;
      }
    }
    return new FrameworkView(
        id,
        f.record.info(),
        f.record.principal(),
        f.connected(),
        m.core.frameworkAllocated(id),
        active,
        m.offers.countOf(id),
        inCore ? m.core.suppressedRoles(id) : Set.of(),
        f.record.registeredAt(),
        f.record.disconnectedAt());
  }

  private List<TaskView> tasksLocked() {
    List<TaskView> out = new ArrayList<>();
    for (TaskRecord t : m.durable().tasks()) {
      out.add(
          new TaskView(
              t.frameworkId(), t.agentId(), t.role(), t.task(), t.latest().state(), t.latest()));
    }
    out.sort(Comparator.comparing(TaskView::frameworkId).thenComparing(v -> v.task().taskId()));
    return out;
  }

  private List<RoleView> rolesLocked() {
    return m.core.roles();
  }

  RoleView roleLocked(String role) {
    return m.core
        .role(role)
        .orElseGet(
            () ->
                new RoleView(
                    role,
                    m.core.weight(role),
                    m.core.quota(role),
                    ResourcePool.EMPTY,
                    Resources.EMPTY,
                    0.0,
                    List.of()));
  }
}

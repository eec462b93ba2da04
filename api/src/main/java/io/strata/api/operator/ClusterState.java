package io.strata.api.operator;

import java.time.Instant;
import java.util.List;

/** {@code GET /v1/state}: everything the allocator knows, at one moment. */
public record ClusterState(
    String version,
    Instant startedAt,
    List<AgentView> agents,
    List<FrameworkView> frameworks,
    List<TaskView> tasks,
    List<RoleView> roles) {}

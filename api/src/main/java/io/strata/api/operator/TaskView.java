package io.strata.api.operator;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;

/** A task in the operator API: what was launched, where, for which role, and its last status. */
public record TaskView(
    FrameworkId frameworkId,
    AgentId agentId,
    String role,
    TaskInfo task,
    TaskState state,
    TaskStatus lastStatus) {}

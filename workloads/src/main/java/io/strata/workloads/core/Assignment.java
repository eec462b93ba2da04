package io.strata.workloads.core;

import io.strata.api.AgentId;
import io.strata.api.Resources;
import io.strata.api.TaskId;

/** A task placed on an offer's agent, with exactly the resources (and ports) it gets. */
public record Assignment(TaskId task, AgentId agent, Resources resources) {}

package io.strata.allocator.sim;

import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.ResourcePool;
import io.strata.api.TaskInfo;

/** A task a simulated framework launched: what it runs and the exact resources it holds. */
public record SimTask(
    TaskInfo info, FrameworkId framework, AgentId agent, String role, ResourcePool resources) {}

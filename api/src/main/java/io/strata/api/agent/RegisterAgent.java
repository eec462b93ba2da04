package io.strata.api.agent;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.json.Checks;
import java.util.List;

/**
 * {@code POST /v1/agents/register}, with the join token as bearer. A new agent sends no id; an
 * agent that restarted, or whose allocator restarted, sends its id and every task it still runs, so
 * the allocator can reconcile: tasks it does not know are killed, tasks the agent no longer has are
 * reported LOST.
 */
public record RegisterAgent(AgentId agentId, AgentInfo info, List<ReportedTask> tasks) {
  public RegisterAgent {
    Checks c = new Checks().notNull("info", info);
    c.noNullElements("tasks", tasks);
    c.done();
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}

package io.strata.api.agent;

import io.strata.api.AgentId;
import io.strata.api.AgentInfo;
import io.strata.api.json.Checks;
import java.util.List;

/**
 * {@code POST /v1/agents/register}. A new agent presents a join token and sends no id: the
 * allocator assigns one (a join token with an id is refused, 403 naming {@code agentId}). An agent
 * that restarted, or whose allocator restarted, presents its own credential and sends its id and
 * every task it still runs, so the allocator can reconcile: tasks it does not know are killed,
 * tasks the agent no longer has are reported LOST.
 *
 * @param publicKey the public key of the agent's own endpoint (base64 of its X.509
 *     SubjectPublicKeyInfo), for an allocator with the cluster CA's key to certify in {@link
 *     AgentRegistered#certificate()}; null from agents that serve plain HTTP
 */
public record RegisterAgent(
    AgentId agentId, AgentInfo info, List<ReportedTask> tasks, String publicKey) {
  /** A registration without a key to certify. */
  public RegisterAgent(AgentId agentId, AgentInfo info, List<ReportedTask> tasks) {
    this(agentId, info, tasks, null);
  }

  public RegisterAgent {
    Checks c = new Checks().notNull("info", info);
    c.noNullElements("tasks", tasks);
    c.done();
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}

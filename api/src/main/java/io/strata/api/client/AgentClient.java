package io.strata.api.client;

import io.strata.api.AgentId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusAck;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** An agent's client for the agent API; every call presents the cluster's join token. */
public final class AgentClient {
  private final HttpTransport http;

  public AgentClient(URI allocator, String joinToken) {
    this.http = new HttpTransport(allocator, joinToken);
  }

  public AgentRegistered register(RegisterAgent registration) {
    return http.send("POST", Paths.AGENT_REGISTER, registration, AgentRegistered.class);
  }

  /**
   * Throws ApiException 404 if the allocator does not know the agent (re-register), 410 if GONE.
   */
  public void heartbeat(AgentId agent) {
    http.send("POST", Paths.agentHeartbeat(agent.value()), null, Void.class);
  }

  /** Returns once the update is durable at the allocator. */
  public StatusAck sendStatus(AgentId agent, TaskStatus status) {
    return http.send("POST", Paths.agentStatus(agent.value()), status, StatusAck.class);
  }

  /**
   * Sends many updates in one request (in order; at most {@link StatusUpdates#MAX_UPDATES}) and
   * returns once all of them are durable at the allocator, which then names every uuid.
   */
  public StatusAcks sendStatuses(AgentId agent, List<TaskStatus> statuses) {
    return http.send(
        "POST", Paths.agentStatuses(agent.value()), new StatusUpdates(statuses), StatusAcks.class);
  }

  public NdjsonStream<AgentMessage> openStream(
      AgentId agent, NdjsonStream.Listener<AgentMessage> listener) {
    return http.stream(
        "GET", Paths.agentStream(agent.value()), null, AgentMessage.class, Map.of(), listener);
  }
}

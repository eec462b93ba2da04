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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * An agent's client for the agent API. A new agent registers with the cluster's join token and the
 * allocator assigns its id; the answer carries the agent's own credential ({@link
 * AgentRegistered#agentToken()}), which every later call presents instead: calls for an agent's id
 * take that agent's credential only, so the agent keeps working after the join token expired.
 */
public final class AgentClient {
  private final HttpTransport joining;
  private volatile HttpTransport http;

  public AgentClient(URI allocator, String joinToken) {
    this(allocator, joinToken, null);
  }

  /**
   * @param tls for an {@code https} allocator: the TLS context to trust it with (e.g. the cluster
   *     CA's, {@link ClusterTrust#context()}); null takes the JVM's default
   */
  public AgentClient(URI allocator, String joinToken, SSLContext tls) {
    this(AllocatorEndpoints.of(allocator), joinToken, tls);
  }

  /**
   * A client of whichever of {@code allocators} leads: it follows redirects, skips allocators that
   * are down, and its stream is opened at the leader ({@link Failover}). The caller closes {@code
   * allocators}.
   */
  public AgentClient(AllocatorEndpoints allocators, String joinToken, SSLContext tls) {
    this.joining = new HttpTransport(allocators, joinToken, Duration.ofSeconds(30), tls);
    this.http = joining;
  }

  /**
   * Presents {@code agentToken} from now on (null: the join token again). Set it from a previous
   * run's registration before registering again.
   */
  public void useAgentToken(String agentToken) {
    this.http = agentToken == null ? joining : joining.withToken(agentToken);
  }

  /**
   * Registers. A new agent (no id) presents the join token and the allocator assigns its id; a
   * re-registration (with the id) presents the agent's own credential, which alone may act for that
   * id: a 401 means it no longer does (revoked, or the agent was removed and forgotten) and the
   * agent must join anew without an id. The answer's credential is used from then on.
   */
  public AgentRegistered register(RegisterAgent registration) {
    HttpTransport via = registration.agentId() == null ? joining : http;
    AgentRegistered answer =
        via.send("POST", Paths.AGENT_REGISTER, registration, AgentRegistered.class);
    if (answer != null && answer.agentToken() != null) {
      useAgentToken(answer.agentToken());
    }
    return answer;
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

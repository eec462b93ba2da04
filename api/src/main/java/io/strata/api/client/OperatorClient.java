package io.strata.api.client;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.json.Codec;
import io.strata.api.operator.AgentAccessGrant;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.ClusterState;
import io.strata.api.operator.DrainRequest;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.JoinToken;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.api.operator.RoleConfig;
import io.strata.api.operator.RoleView;
import io.strata.api.operator.TaskView;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** An operator's client: cluster state, roles and quota, maintenance. */
public final class OperatorClient {
  private final HttpTransport http;

  public OperatorClient(URI allocator, String token) {
    this(allocator, token, null);
  }

  /**
   * @param tls for an {@code https} allocator: the TLS context to trust it with (e.g. {@link
   *     ClusterTrust#context()}); null takes the JVM's default
   */
  public OperatorClient(URI allocator, String token, SSLContext tls) {
    this(AllocatorEndpoints.of(allocator), token, tls);
  }

  /** A client of whichever of {@code allocators} leads; the caller closes {@code allocators}. */
  public OperatorClient(AllocatorEndpoints allocators, String token, SSLContext tls) {
    this.http = new HttpTransport(allocators, token, Duration.ofSeconds(30), tls);
  }

  /** Issues a new join token for agents joining from now on ({@code POST /v1/join-tokens}). */
  public JoinToken issueJoinToken(JoinTokenRequest request) {
    return http.send("POST", Paths.JOIN_TOKENS, request, JoinToken.class);
  }

  /**
   * A short-lived token for the agents' own endpoints ({@code POST /v1/agent-access}); operators
   * only.
   */
  public AgentAccessGrant agentAccess() {
    return http.send("POST", Paths.AGENT_ACCESS, null, AgentAccessGrant.class);
  }

  /** Every join token, without the tokens themselves ({@code GET /v1/join-tokens}). */
  public List<JoinTokenView> joinTokens() {
    return list(Paths.JOIN_TOKENS, new TypeReference<List<JoinTokenView>>() {});
  }

  /**
   * Revokes a join token ({@code DELETE /v1/join-tokens/{id}}; {@code bootstrap} is the configured
   * one). Agents that joined with it keep working.
   */
  public JoinTokenView revokeJoinToken(String id) {
    return http.send("DELETE", Paths.joinToken(id), null, JoinTokenView.class);
  }

  public ClusterState state() {
    return http.send("GET", Paths.STATE, null, ClusterState.class);
  }

  public List<AgentView> agents() {
    return list(Paths.AGENTS, new TypeReference<List<AgentView>>() {});
  }

  public AgentView agent(AgentId id) {
    return http.send("GET", Paths.agent(id.value()), null, AgentView.class);
  }

  public List<FrameworkView> frameworks() {
    return list(Paths.FRAMEWORKS, new TypeReference<List<FrameworkView>>() {});
  }

  public List<TaskView> tasks() {
    return list(Paths.TASKS, new TypeReference<List<TaskView>>() {});
  }

  /**
   * What the {@code strata.} DNS zone holds ({@code GET /v1/endpoints}): every group, or only those
   * named {@code name} (an app, a job, or {@code framework/task}) when it is not null.
   */
  public List<io.strata.api.operator.ServiceEndpoints> endpoints(String name) {
    String path =
        name == null
            ? Paths.ENDPOINTS
            : Paths.ENDPOINTS
                + "?name="
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8);
    return list(path, new TypeReference<List<io.strata.api.operator.ServiceEndpoints>>() {});
  }

  public List<RoleView> roles() {
    return list(Paths.ROLES, new TypeReference<List<RoleView>>() {});
  }

  public RoleView setRole(String role, RoleConfig config) {
    return http.send("PUT", Paths.role(role), config, RoleView.class);
  }

  public AgentView drain(AgentId agent, DrainRequest request) {
    return http.send("POST", Paths.agentDrain(agent.value()), request, AgentView.class);
  }

  public AgentView reactivate(AgentId agent) {
    return http.send("POST", Paths.agentReactivate(agent.value()), null, AgentView.class);
  }

  /**
   * Revokes the agent's own credential: it can no longer act under its id, and it is removed (its
   * tasks GONE); the node joins anew with a join token. Throws ApiException 404 for an unknown id.
   */
  public void revokeAgent(AgentId agent) {
    http.send("POST", Paths.agentRevoke(agent.value()), null, Void.class);
  }

  public void teardown(FrameworkId framework) {
    http.send("POST", Paths.frameworkTeardown(framework.value()), null, Void.class);
  }

  public String metrics() {
    return http.sendForText("GET", Paths.METRICS);
  }

  public String health() {
    return http.sendForText("GET", Paths.HEALTH);
  }

  private <T> T list(String path, TypeReference<T> type) {
    return http.send("GET", path, null, Codec.JSON.mapper().constructType(type), Map.of());
  }
}

package io.strata.api.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The routes of the three APIs, in one place for clients, server and the OpenAPI check. */
public final class Paths {
  public static final String SCHEDULER = "/v1/scheduler";
  public static final String STREAM_ID_HEADER = "Strata-Stream-Id";

  public static final String AGENT_REGISTER = "/v1/agents/register";

  public static final String STATE = "/v1/state";
  public static final String AGENTS = "/v1/agents";
  public static final String FRAMEWORKS = "/v1/frameworks";
  public static final String TASKS = "/v1/tasks";
  public static final String ROLES = "/v1/roles";
  public static final String HEALTH = "/health";
  public static final String METRICS = "/metrics";
  public static final String OPENAPI = "/v1/openapi.json";
  public static final String JOIN_TOKENS = "/v1/join-tokens";
  public static final String AGENT_ACCESS = "/v1/agent-access";
  public static final String ENDPOINTS = "/v1/endpoints";

  private Paths() {}

  public static String agentHeartbeat(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/heartbeat";
  }

  public static String agentStatus(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/status";
  }

  /** Many status updates in one request ({@code StatusUpdates}). */
  public static String agentStatuses(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/statuses";
  }

  public static String agentStream(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/stream";
  }

  public static String agent(String agentId) {
    return AGENTS + "/" + enc(agentId);
  }

  public static String agentDrain(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/drain";
  }

  public static String agentReactivate(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/reactivate";
  }

  /** Operator: revoke the agent's own credential (the agent is removed). */
  public static String agentRevoke(String agentId) {
    return AGENTS + "/" + enc(agentId) + "/revoke";
  }

  public static String framework(String frameworkId) {
    return FRAMEWORKS + "/" + enc(frameworkId);
  }

  public static String frameworkTeardown(String frameworkId) {
    return FRAMEWORKS + "/" + enc(frameworkId) + "/teardown";
  }

  /** Scheduler: the framework's own tasks as the allocator records them. */
  public static String frameworkTasks(String frameworkId) {
    return FRAMEWORKS + "/" + enc(frameworkId) + "/tasks";
  }

  public static String store(String frameworkId) {
    return FRAMEWORKS + "/" + enc(frameworkId) + "/store";
  }

  public static String storeKey(String frameworkId, String key) {
    return store(frameworkId) + "/" + enc(key);
  }

  public static String joinToken(String id) {
    return JOIN_TOKENS + "/" + enc(id);
  }

  /** Roles are hierarchical ({@code eng/web}); the route takes the slashes as they are. */
  public static String role(String role) {
    return ROLES + "/" + role;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

package io.strata.allocator.server;

import static io.strata.allocator.server.Route.AGENT;

import io.javalin.http.Context;
import io.strata.api.AgentId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.client.Paths;
import io.strata.api.json.ValidationException;
import java.io.OutputStream;
import java.util.List;

/** The agent API: register, heartbeat, status updates and the agent's message stream. */
final class AgentApi {
  private final Master master;
  private final long heartbeatMillis;
  private final JoinTokens tokens;

  AgentApi(Master master, long heartbeatMillis, JoinTokens tokens) {
    this.master = master;
    this.heartbeatMillis = heartbeatMillis;
    this.tokens = tokens;
  }

  List<Route> routes() {
    String agent = Paths.AGENTS + "/{agentId}";
    return List.of(
        Route.post(Paths.AGENT_REGISTER, AGENT, this::register),
        Route.post(agent + "/heartbeat", AGENT, this::heartbeat),
        Route.post(agent + "/status", AGENT, this::status),
        Route.post(agent + "/statuses", AGENT, this::statuses),
        Route.get(agent + "/stream", AGENT, this::stream));
  }

  private void register(Context ctx) {
    RegisterAgent registration = HttpApi.body(ctx, RegisterAgent.class);
    String credential = ctx.attribute(HttpApi.AGENT_CREDENTIAL);
    if (credential != null
        && (registration.agentId() == null
            || !tokens.isAgent(credential, registration.agentId()))) {
      throw ApiError.unauthorized(
          "an agent's credential re-registers that agent only; new agents present a join token");
    }
    AgentRegistered answer = master.agents().register(registration);
    HttpApi.json(
        ctx,
        200,
        new AgentRegistered(
            answer.agentId(),
            answer.heartbeatIntervalMillis(),
            tokens.agentToken(answer.agentId())));
  }

  private void heartbeat(Context ctx) {
    master.agents().heartbeat(agentId(ctx));
    ctx.status(204);
  }

  private void status(Context ctx) {
    TaskStatus status = HttpApi.body(ctx, TaskStatus.class);
    HttpApi.json(ctx, 200, master.agents().status(agentId(ctx), status));
  }

  private void statuses(Context ctx) {
    AgentId id = agentId(ctx);
    StatusUpdates batch = HttpApi.body(ctx, StatusUpdates.class);
    HttpApi.json(ctx, 200, master.agents().statuses(id, batch));
  }

  private void stream(Context ctx) throws Exception {
    AgentId id = agentId(ctx);
    Master.Connection<AgentMessage> conn = master.agents().openStream(id);
    OutputStream out = NdjsonPump.open(ctx, conn.mailbox(), conn.number());
    NdjsonPump.pump(
        out, conn.mailbox(), conn.number(), null, AgentMessage.Heartbeat::new, heartbeatMillis);
  }

  static AgentId agentId(Context ctx) {
    String raw = ctx.pathParam("agentId");
    try {
      return AgentId.of(raw);
    } catch (ValidationException e) {
      throw ApiError.notFound("no agent " + raw);
    }
  }
}

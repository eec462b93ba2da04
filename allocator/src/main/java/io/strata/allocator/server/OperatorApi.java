package io.strata.allocator.server;

import static io.strata.allocator.server.Route.Access.OPERATOR;
import static io.strata.allocator.server.Route.Access.PUBLIC;

import io.javalin.http.Context;
import io.strata.api.FrameworkId;
import io.strata.api.Roles;
import io.strata.api.client.Paths;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import io.strata.api.operator.DrainRequest;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.RoleConfig;
import java.util.List;

/** The operator API: cluster state, maintenance, roles, metrics, health and the API document. */
final class OperatorApi {
  private final Master master;
  private final ServerMetrics metrics;
  private final byte[] openApi;
  private final JoinTokens tokens;

  OperatorApi(Master master, ServerMetrics metrics, byte[] openApi, JoinTokens tokens) {
    this.master = master;
    this.metrics = metrics;
    this.openApi = openApi;
    this.tokens = tokens;
  }

  List<Route> routes() {
    String agent = Paths.AGENTS + "/{agentId}";
    String framework = Paths.FRAMEWORKS + "/{frameworkId}";
    return List.of(
        Route.get(Paths.STATE, OPERATOR, ctx -> HttpApi.json(ctx, 200, master.views().state())),
        Route.get(Paths.AGENTS, OPERATOR, ctx -> HttpApi.json(ctx, 200, master.views().agents())),
        Route.get(
            agent,
            OPERATOR,
            ctx -> HttpApi.json(ctx, 200, master.views().agent(AgentApi.agentId(ctx)))),
        Route.post(agent + "/drain", OPERATOR, this::drain),
        Route.post(
            agent + "/reactivate",
            OPERATOR,
            ctx -> HttpApi.json(ctx, 200, master.maintenance().reactivate(AgentApi.agentId(ctx)))),
        Route.post(agent + "/revoke", OPERATOR, this::revoke),
        Route.get(
            Paths.FRAMEWORKS, OPERATOR, ctx -> HttpApi.json(ctx, 200, master.views().frameworks())),
        Route.get(
            framework,
            OPERATOR,
            ctx -> HttpApi.json(ctx, 200, master.views().framework(frameworkId(ctx)))),
        Route.post(framework + "/teardown", OPERATOR, this::teardown),
        Route.get(Paths.TASKS, OPERATOR, ctx -> HttpApi.json(ctx, 200, master.views().tasks())),
        Route.get(Paths.ROLES, OPERATOR, ctx -> HttpApi.json(ctx, 200, master.views().roles())),
        Route.put(Paths.ROLES + "/<role>", OPERATOR, this::setRole),
        Route.get(Paths.METRICS, OPERATOR, this::metrics),
        Route.post(Paths.JOIN_TOKENS, OPERATOR, this::issueJoinToken),
        Route.get(Paths.JOIN_TOKENS, OPERATOR, ctx -> HttpApi.json(ctx, 200, tokens.list())),
        Route.delete(
            Paths.JOIN_TOKENS + "/<id>",
            OPERATOR,
            ctx -> HttpApi.json(ctx, 200, tokens.revoke(ctx.pathParam("id")))),
        Route.get(Paths.HEALTH, PUBLIC, this::health),
        Route.get(
            Paths.OPENAPI,
            PUBLIC,
            ctx -> ctx.status(200).contentType("application/json").result(openApi)));
  }

  private void drain(Context ctx) {
    DrainRequest request =
        ctx.bodyAsBytes().length == 0
            ? new DrainRequest(null, null)
            : HttpApi.body(ctx, DrainRequest.class);
    HttpApi.json(ctx, 200, master.maintenance().drain(AgentApi.agentId(ctx), request));
  }

  /**
   * 204 once the agent's credential is revoked (and the agent removed), durably; 404 if unknown.
   */
  private void revoke(Context ctx) {
    var id = AgentApi.agentId(ctx);
    if (!master.agents().revoke(id)) {
      throw ApiError.notFound("no agent " + id);
    }
    ctx.status(204);
  }

  private void issueJoinToken(Context ctx) {
    JoinTokenRequest request =
        ctx.bodyAsBytes().length == 0
            ? new JoinTokenRequest(null)
            : HttpApi.body(ctx, JoinTokenRequest.class);
    HttpApi.json(ctx, 201, tokens.issue(request));
  }

  private void teardown(Context ctx) {
    master.frameworks().teardown(frameworkId(ctx));
    ctx.status(204);
  }

  private void setRole(Context ctx) {
    String role = ctx.pathParam("role");
    try {
      Roles.check(role);
    } catch (ValidationException e) {
      throw new ValidationException(e.violations().stream().map(v -> v.under("role")).toList());
    }
    RoleConfig config = HttpApi.body(ctx, RoleConfig.class);
    HttpApi.json(ctx, 200, master.roles().configure(role, config));
  }

  private void metrics(Context ctx) {
    ctx.status(200)
        .contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.scrape());
  }

  private void health(Context ctx) {
    if (master.healthy()) {
      ctx.status(200).contentType("text/plain").result("ok\n");
    } else {
      HttpApi.problem(
          ctx,
          Problem.of(503, "Unhealthy", "the state store failed; the allocator must be restarted"));
    }
  }

  static FrameworkId frameworkId(Context ctx) {
    String raw = ctx.pathParam("frameworkId");
    try {
      return FrameworkId.of(raw);
    } catch (ValidationException e) {
      throw ApiError.notFound("no framework " + raw);
    }
  }
}

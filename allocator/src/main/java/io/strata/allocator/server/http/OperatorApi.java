package io.strata.allocator.server.http;

import static io.strata.allocator.authz.Action.VIEW;

import io.javalin.http.Context;
import io.strata.allocator.authz.Action;
import io.strata.allocator.authz.Action.View;
import io.strata.allocator.authz.Permission;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.http.Route.Guard;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.server.master.Master;
import io.strata.allocator.server.master.ServerMetrics;
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
public final class OperatorApi {
  private final Master master;
  private final ServerMetrics metrics;
  private final byte[] openApi;
  private final JoinTokens tokens;

  public OperatorApi(Master master, ServerMetrics metrics, byte[] openApi, JoinTokens tokens) {
    this.master = master;
    this.metrics = metrics;
    this.openApi = openApi;
    this.tokens = tokens;
  }

  public List<Route> routes() {
    String agent = Paths.AGENTS + "/{agentId}";
    String framework = Paths.FRAMEWORKS + "/{frameworkId}";
    return List.of(
        Route.get(
            Paths.STATE,
            Guard.to(VIEW, View.STATE),
            ctx -> HttpApi.json(ctx, 200, master.views().state())),
        Route.get(
            Paths.AGENTS,
            Guard.to(VIEW, View.AGENTS),
            ctx -> HttpApi.json(ctx, 200, master.views().agents())),
        Route.get(
            agent,
            Guard.to(VIEW, View.AGENTS),
            ctx -> HttpApi.json(ctx, 200, master.views().agent(AgentApi.agentId(ctx)))),
        Route.post(
            agent + "/drain",
            Guard.to(Action.DRAIN_AGENTS, "the path's agent", ctx -> AgentApi.agentId(ctx).value()),
            this::drain),
        Route.post(
            agent + "/reactivate",
            Guard.to(
                Action.REACTIVATE_AGENTS, "the path's agent", ctx -> AgentApi.agentId(ctx).value()),
            ctx -> HttpApi.json(ctx, 200, master.maintenance().reactivate(AgentApi.agentId(ctx)))),
        Route.post(
            agent + "/revoke",
            Guard.to(
                Action.REVOKE_AGENTS, "the path's agent", ctx -> AgentApi.agentId(ctx).value()),
            this::revoke),
        Route.get(
            Paths.FRAMEWORKS,
            Guard.to(VIEW, View.FRAMEWORKS),
            ctx -> HttpApi.json(ctx, 200, master.views().frameworks())),
        Route.get(
            framework,
            Guard.to(VIEW, View.FRAMEWORKS),
            ctx -> HttpApi.json(ctx, 200, master.views().framework(frameworkId(ctx)))),
        Route.post(
            framework + "/teardown",
            Guard.to(
                Action.TEARDOWN_FRAMEWORKS,
                "the principal of the path's framework",
                ctx -> master.frameworks().principalOf(frameworkId(ctx)).orElse(null)),
            this::teardown),
        Route.get(
            Paths.TASKS,
            Guard.to(VIEW, View.TASKS),
            ctx -> HttpApi.json(ctx, 200, master.views().tasks())),
        Route.get(
            Paths.ROLES,
            Guard.to(VIEW, View.ROLES),
            ctx -> HttpApi.json(ctx, 200, master.views().roles())),
        Route.put(
            Paths.ROLES + "/<role>",
            Guard.of(
                "update_weights (a weight given) and update_quotas (a quota given) on the path's"
                    + " role",
                OperatorApi::roleChange),
            this::setRole),
        Route.get(Paths.METRICS, Guard.to(VIEW, View.METRICS), this::metrics),
        Route.post(
            Paths.JOIN_TOKENS, Guard.to(Action.MANAGE_JOIN_TOKENS, "new"), this::issueJoinToken),
        Route.get(
            Paths.JOIN_TOKENS,
            Guard.to(VIEW, View.JOIN_TOKENS),
            ctx -> HttpApi.json(ctx, 200, tokens.list())),
        Route.delete(
            Paths.JOIN_TOKENS + "/<id>",
            Guard.to(Action.MANAGE_JOIN_TOKENS, "the path's token", ctx -> ctx.pathParam("id")),
            ctx -> HttpApi.json(ctx, 200, tokens.revoke(ctx.pathParam("id")))),
        Route.get(Paths.HEALTH, Guard.open(), this::health),
        Route.get(
            Paths.OPENAPI,
            Guard.open(),
            ctx -> ctx.status(200).contentType("application/json").result(openApi)));
  }

  /**
   * A role's weight and quota are separate permissions, as in Mesos; a request naming neither needs
   * both.
   */
  private static List<Permission> roleChange(Context ctx) {
    String role = ctx.pathParam("role");
    RoleConfig config = HttpApi.body(ctx, RoleConfig.class);
    boolean neither = config.weight() == null && config.quota() == null;
    List<Permission> needs = new java.util.ArrayList<>();
    if (config.weight() != null || neither) {
      needs.add(new Permission(Action.UPDATE_WEIGHTS, role));
    }
    if (config.quota() != null || neither) {
      needs.add(new Permission(Action.UPDATE_QUOTAS, role));
    }
    return needs;
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

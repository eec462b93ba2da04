package io.strata.allocator.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.strata.allocator.authz.Action;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.server.master.Master;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import java.util.List;

/**
 * A framework's durable key-value store ({@code /v1/frameworks/{id}/store}): JSON values that
 * survive restarts, readable and writable only by the framework's own principal; and, for it alone
 * too, its tasks as the allocator records them ({@code /v1/frameworks/{id}/tasks}).
 */
public final class StoreApi {
  private final Master master;

  public StoreApi(Master master) {
    this.master = master;
  }

  public List<Route> routes() {
    String store = Paths.FRAMEWORKS + "/{frameworkId}/store";
    Route.Guard own =
        Route.Guard.to(
            Action.ACT_AS_FRAMEWORK,
            "the path's framework (its principal)",
            ctx -> master.frameworks().principalOf(OperatorApi.frameworkId(ctx)).orElse(null));
    return List.of(
        Route.get(
            Paths.FRAMEWORKS + "/{frameworkId}/tasks",
            own,
            ctx -> HttpApi.json(ctx, 200, master.views().tasksOf(OperatorApi.frameworkId(ctx)))),
        Route.get(store, own, this::keys),
        Route.get(store + "/<key>", own, this::get),
        Route.put(store + "/<key>", own, this::put),
        Route.delete(store + "/<key>", own, this::delete));
  }

  private void keys(Context ctx) {
    HttpApi.json(
        ctx, 200, master.store().keys(HttpApi.principal(ctx), OperatorApi.frameworkId(ctx)));
  }

  private void get(Context ctx) {
    JsonNode value =
        master
            .store()
            .get(HttpApi.principal(ctx), OperatorApi.frameworkId(ctx), ctx.pathParam("key"))
            .orElseThrow(() -> ApiError.notFound("no key " + ctx.pathParam("key")));
    HttpApi.json(ctx, 200, value);
  }

  private void put(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    JsonNode value = Codec.JSON.decode(body, JsonNode.class);
    master
        .store()
        .put(
            HttpApi.principal(ctx),
            OperatorApi.frameworkId(ctx),
            ctx.pathParam("key"),
            value,
            body.length);
    ctx.status(204);
  }

  private void delete(Context ctx) {
    master
        .store()
        .delete(HttpApi.principal(ctx), OperatorApi.frameworkId(ctx), ctx.pathParam("key"));
    ctx.status(204);
  }
}

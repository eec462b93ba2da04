package io.strata.allocator.server.http;

import static io.strata.allocator.authz.Action.VIEW;

import io.strata.allocator.authz.Action.View;
import io.strata.allocator.server.dns.ZoneCache;
import io.strata.allocator.server.http.Route.Guard;
import io.strata.api.client.Paths;
import io.strata.api.json.ValidationException;
import io.strata.api.operator.ServiceEndpoints;
import java.util.List;

/**
 * {@code GET /v1/endpoints[?name=APP]}: what the DNS zone holds, per app, job and task group, with
 * the instances it leaves out (not running, unhealthy, no address). Viewers may read it (it is the
 * tasks' data, {@code view} on {@code tasks}).
 */
public final class EndpointsApi {
  private static final int MAX_NAME = 400;
  private final ZoneCache zones;

  public EndpointsApi(ZoneCache zones) {
    this.zones = zones;
  }

  public List<Route> routes() {
    return List.of(
        Route.get(
            Paths.ENDPOINTS,
            Guard.to(VIEW, View.TASKS),
            ctx -> {
              String name = ctx.queryParam("name");
              if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
                throw new ValidationException(
                    "name", "must be an app, job or framework/task name (1 to 400 characters)");
              }
              List<ServiceEndpoints> all = zones.snapshot().endpoints();
              HttpApi.json(
                  ctx,
                  200,
                  name == null ? all : all.stream().filter(e -> e.name().equals(name)).toList());
            }));
  }
}

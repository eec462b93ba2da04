package io.strata.allocator.server;

import io.javalin.http.Context;
import io.strata.api.json.Problem;
import io.strata.api.operator.LeaderView;

/**
 * What an allocator that does not lead answers on the API's routes, as a Mesos master does: a
 * {@code 307} to the leader (same method, path and query, so a client repeats the request there,
 * body included), or {@code 503} with {@code Retry-After: 1} while no leader is known. Only {@code
 * GET /health}, {@code GET /health/leader} and {@code GET /v1/leader} are answered here.
 */
final class LeaderGate {
  static final String LEADER = "/v1/leader";
  static final String HEALTH_LEADER = "/health/leader";

  private LeaderGate() {}

  /** Refuses a request on a standby: 307 to {@code leader}, or 503 if it is null. */
  static void refuse(Context ctx, String leader) {
    if (leader == null) {
      ctx.header("Retry-After", "1");
      HttpApi.problem(
          ctx,
          new Problem(
              null,
              "No leader",
              503,
              "this allocator is a standby and no allocator leads now (an election or a takeover is"
                  + " under way, or ZooKeeper is unreachable); retry in a second",
              null,
              null,
              true));
      return;
    }
    String query = ctx.queryString();
    String location = leader + ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
    ctx.header("Location", location);
    HttpApi.problem(
        ctx,
        new Problem(
            null,
            "Not the leader",
            307,
            "this allocator is a standby; the leader is " + leader,
            null,
            null,
            true));
  }

  /** {@code GET /v1/leader}: who leads, as this allocator knows it. */
  static void leader(Context ctx, LeaderView view) {
    HttpApi.json(ctx, 200, view);
  }

  /** {@code GET /health/leader}: 200 only on the leader (load balancers' probe). */
  static void healthLeader(Context ctx, LeaderView view) {
    if (view.isLeader()) {
      ctx.status(200).contentType("text/plain").result("leader\n");
      return;
    }
    if (view.leader() == null) {
      ctx.header("Retry-After", "1");
    }
    HttpApi.problem(
        ctx,
        Problem.of(
            503,
            "Not the leader",
            view.leader() == null
                ? "this allocator does not lead, and no leader is known now"
                : "this allocator does not lead; the leader is " + view.leader()));
  }
}

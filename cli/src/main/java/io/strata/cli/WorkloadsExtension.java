package io.strata.cli;

import io.strata.allocator.server.HttpExtension;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.workloads.http.WorkloadsApi;
import java.util.List;

/**
 * Serves the built-in frameworks' API on the allocator's port. The frameworks start after the
 * allocator (they subscribe to it over loopback), so the API is attached once they exist; until
 * then requests are answered 503.
 */
final class WorkloadsExtension implements HttpExtension {
  private volatile WorkloadsApi api;

  void attach(WorkloadsApi workloadsApi) {
    this.api = workloadsApi;
  }

  @Override
  public List<String> prefixes() {
    return WorkloadsApi.PREFIXES;
  }

  @Override
  public List<String> routes() {
    return WorkloadsApi.ROUTES;
  }

  @Override
  public Answer handle(String method, String path, byte[] body) {
    WorkloadsApi a = api;
    WorkloadsApi.Response r =
        a == null
            ? new WorkloadsApi.Response(
                503, Problem.of(503, "Unavailable", "the built-in frameworks are starting"))
            : a.handle(method, path, body);
    return new Answer(
        r.status(),
        r.isProblem() ? Problem.MEDIA_TYPE : "application/json",
        r.body() == null ? new byte[0] : Codec.JSON.encodeBytes(r.body()));
  }
}

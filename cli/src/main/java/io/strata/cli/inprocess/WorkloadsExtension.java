package io.strata.cli.inprocess;

import io.strata.allocator.authz.Action;
import io.strata.allocator.authz.Permission;
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
public final class WorkloadsExtension implements HttpExtension {
  private final String servicesRole;
  private final String jobsRole;
  private volatile WorkloadsApi api;

  /** The API of frameworks running apps in {@code servicesRole} and jobs in {@code jobsRole}. */
  public WorkloadsExtension(String servicesRole, String jobsRole) {
    this.servicesRole = servicesRole;
    this.jobsRole = jobsRole;
  }

  public void attach(WorkloadsApi workloadsApi) {
    this.api = workloadsApi;
  }

  @Override
  public List<String> prefixes() {
    return WorkloadsApi.PREFIXES;
  }

  /**
   * Reading needs {@code view} on {@code workloads}; changing apps needs {@code run_workloads} in
   * the services role, jobs in the jobs role. Killing a task by id needs both: the id does not say
   * which framework runs it.
   */
  @Override
  public List<Permission> permissions(String method, String path) {
    if (method.equals("GET")) {
      return List.of(new Permission(Action.VIEW, Action.View.WORKLOADS));
    }
    if (path.equals("/v1/apps") || path.startsWith("/v1/apps/")) {
      return List.of(new Permission(Action.RUN_WORKLOADS, servicesRole));
    }
    if (path.equals("/v1/jobs") || path.startsWith("/v1/jobs/")) {
      return List.of(new Permission(Action.RUN_WORKLOADS, jobsRole));
    }
    return List.of(
        new Permission(Action.RUN_WORKLOADS, servicesRole),
        new Permission(Action.RUN_WORKLOADS, jobsRole));
  }

  @Override
  public List<String> routes() {
    return WorkloadsApi.ROUTES;
  }

  @Override
  public Answer handle(String method, String path, byte[] body) {
    return handle(method, path, body, null);
  }

  /** Answers for {@code principal}: an app's history records who changed it. */
  @Override
  public Answer handle(String method, String path, byte[] body, String principal) {
    WorkloadsApi a = api;
    WorkloadsApi.Response r =
        a == null
            ? new WorkloadsApi.Response(
                503, Problem.of(503, "Unavailable", "the built-in frameworks are starting"))
            : a.handle(method, path, body, principal);
    return new Answer(
        r.status(),
        r.isProblem() ? Problem.MEDIA_TYPE : "application/json",
        r.body() == null ? new byte[0] : Codec.JSON.encodeBytes(r.body()));
  }
}

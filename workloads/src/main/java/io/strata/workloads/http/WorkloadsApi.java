package io.strata.workloads.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import io.strata.workloads.Workloads;
import io.strata.workloads.framework.NotFound;
import io.strata.workloads.framework.Unavailable;
import io.strata.workloads.spec.AppSpec;
import io.strata.workloads.spec.JobSpec;
import io.strata.workloads.spec.Specs;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

/**
 * The workloads' HTTP API, independent of any HTTP server: {@link #handle} maps a method, a path
 * and a body to a status and a JSON body (a {@link Problem} on errors, with the field path of every
 * invalid input). It is served on the allocator's port when the frameworks run in its process, or
 * on its own by {@link WorkloadsHttpServer}.
 *
 * <pre>
 * GET    /v1/apps                    apps                POST /v1/apps      create or update (AppSpec)
 * GET    /v1/apps/{id}               one app             DELETE /v1/apps/{id}  stop and remove
 * PUT    /v1/apps/{id}/instances     scale {"instances": n}
 * POST   /v1/apps/{id}/plan          what applying the AppSpec would change (nothing applied)
 * GET    /v1/apps/{id}/history       the kept versions and their deployments' outcomes
 * POST   /v1/apps/{id}/rollback      roll back {"toVersion": n} (optional; default the previous)
 * GET    /v1/jobs                    jobs                POST /v1/jobs      create or update (JobSpec)
 * GET    /v1/jobs/{id}               one job, its runs   DELETE /v1/jobs/{id}
 * POST   /v1/jobs/{id}/runs          start a run now
 * POST   /v1/jobs/{id}/plan          what applying the JobSpec would change (nothing applied)
 * GET    /v1/workloads/tasks         every task, pending ones with reasons
 * POST   /v1/workloads/tasks/{id}/kill
 * GET    /v1/workloads/why/{id}      why an app, job or task is not running
 * GET    /v1/workloads/status        are the frameworks subscribed
 * </pre>
 */
public final class WorkloadsApi {
  private static final System.Logger LOG = System.getLogger(WorkloadsApi.class.getName());

  /** The path prefixes this API answers; a host server routes these here. */
  public static final List<String> PREFIXES = List.of("/v1/apps", "/v1/jobs", "/v1/workloads");

  /**
   * Every operation {@link #handle} answers, as "METHOD /path/{param}" (OpenAPI path syntax); any
   * other method or path under {@link #PREFIXES} answers 404 or 405. The OpenAPI document of the
   * allocator's port describes each.
   */
  public static final List<String> ROUTES =
      List.of(
          "GET /v1/apps",
          "POST /v1/apps",
          "GET /v1/apps/{id}",
          "DELETE /v1/apps/{id}",
          "PUT /v1/apps/{id}/instances",
          "POST /v1/apps/{id}/plan",
          "GET /v1/apps/{id}/history",
          "POST /v1/apps/{id}/rollback",
          "GET /v1/jobs",
          "POST /v1/jobs",
          "GET /v1/jobs/{id}",
          "DELETE /v1/jobs/{id}",
          "POST /v1/jobs/{id}/runs",
          "POST /v1/jobs/{id}/plan",
          "GET /v1/workloads/tasks",
          "POST /v1/workloads/tasks/{id}/kill",
          "GET /v1/workloads/why/{id}",
          "GET /v1/workloads/status");

  /** An answer: an HTTP status and a value to write as JSON (null for no body). */
  public record Response(int status, Object body) {
    public boolean isProblem() {
      return body instanceof Problem;
    }
  }

  private final Workloads workloads;

  public WorkloadsApi(Workloads workloads) {
    this.workloads = workloads;
  }

  public static boolean owns(String path) {
    for (String p : PREFIXES) {
      if (path.equals(p) || path.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  public Response handle(String method, String path, byte[] body) {
    return handle(method, path, body, null);
  }

  /**
   * Answers a request of {@code principal} (the authenticated caller's name, recorded in an app's
   * history as who changed it; null when not known).
   */
  public Response handle(String method, String path, byte[] body, String principal) {
    try {
      return route(method, path, body == null ? new byte[0] : body, principal);
    } catch (ValidationException e) {
      return problem(Problem.invalid(path, e.violations()));
    } catch (NotFound e) {
      return problem(Problem.of(404, "Not found", e.getMessage()));
    } catch (Unavailable e) {
      return problem(Problem.of(503, "Unavailable", e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, method + " " + path + " failed", e);
      return problem(
          Problem.of(500, "Internal error", e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private Response route(String method, String path, byte[] body, String principal) {
    String[] p = segments(path);
    // p[0] = "v1", p[1] = apps|jobs|workloads
    if (p.length < 2 || !p[0].equals("v1")) {
      return notFound(method, path);
    }
    return switch (p[1]) {
      case "apps" -> apps(method, path, p, body, principal);
      case "jobs" -> jobs(method, path, p, body, principal);
      case "workloads" -> workloads(method, path, p);
      default -> notFound(method, path);
    };
  }

  private Response apps(String method, String path, String[] p, byte[] body, String principal) {
    if (p.length == 2) {
      return switch (method) {
        case "GET" -> ok(workloads.apps());
        case "POST" -> {
          AppSpec spec = Specs.decodeApp(body);
          yield submitted(spec.id(), "service", workloads.submit(spec, principal));
        }
        default -> notAllowed(method, path);
      };
    }
    String id = p[2];
    if (p.length == 3) {
      return switch (method) {
        case "GET" -> ok(workloads.app(id));
        case "DELETE" -> {
          workloads.removeApp(id);
          yield new Response(202, Map.of("id", id, "change", "stopping"));
        }
        default -> notAllowed(method, path);
      };
    }
    if (p.length == 4 && p[3].equals("instances") && method.equals("PUT")) {
      JsonNode n = Codec.JSON.decode(body, JsonNode.class).get("instances");
      if (n == null || !n.isInt()) {
        throw new ValidationException("instances", "is required: a whole number");
      }
      return ok(Map.of("id", id, "change", workloads.scale(id, n.asInt())));
    }
    if (p.length == 4 && p[3].equals("plan") && method.equals("POST")) {
      AppSpec spec = Specs.decodeApp(body);
      sameId(id, spec.id());
      return ok(workloads.plan(spec));
    }
    if (p.length == 4 && p[3].equals("history") && method.equals("GET")) {
      return ok(workloads.history(id));
    }
    if (p.length == 4 && p[3].equals("rollback") && method.equals("POST")) {
      Long to = null;
      if (body.length > 0) {
        JsonNode n = Codec.JSON.decode(body, JsonNode.class).get("toVersion");
        if (n != null && !n.isNull() && !(n.canConvertToLong() && n.isIntegralNumber())) {
          throw new ValidationException("toVersion", "must be a version number (e.g. 3)");
        }
        to = n == null || n.isNull() ? null : n.asLong();
      }
      return ok(Map.of("id", id, "change", workloads.rollback(id, to, principal)));
    }
    return notFound(method, path);
  }

  private Response jobs(String method, String path, String[] p, byte[] body, String principal) {
    if (p.length == 2) {
      return switch (method) {
        case "GET" -> ok(workloads.jobs());
        case "POST" -> {
          JobSpec spec = Specs.decodeJob(body);
          yield submitted(spec.id(), "job", workloads.submit(spec, principal));
        }
        default -> notAllowed(method, path);
      };
    }
    String id = p[2];
    if (p.length == 3) {
      return switch (method) {
        case "GET" -> ok(workloads.job(id));
        case "DELETE" -> {
          workloads.removeJob(id);
          yield ok(Map.of("id", id, "change", "removed"));
        }
        default -> notAllowed(method, path);
      };
    }
    if (p.length == 4 && p[3].equals("runs") && method.equals("POST")) {
      return new Response(201, Map.of("id", id, "runId", workloads.startJob(id)));
    }
    if (p.length == 4 && p[3].equals("plan") && method.equals("POST")) {
      JobSpec spec = Specs.decodeJob(body);
      sameId(id, spec.id());
      return ok(workloads.plan(spec));
    }
    return notFound(method, path);
  }

  private Response workloads(String method, String path, String[] p) {
    if (p.length == 3 && p[2].equals("tasks") && method.equals("GET")) {
      return ok(workloads.tasks());
    }
    if (p.length == 3 && p[2].equals("status") && method.equals("GET")) {
      return ok(workloads.status());
    }
    if (p.length == 4 && p[2].equals("why") && method.equals("GET")) {
      return ok(workloads.why(p[3]));
    }
    if (p.length == 5 && p[2].equals("tasks") && p[4].equals("kill") && method.equals("POST")) {
      workloads.kill(p[3]);
      return new Response(202, Map.of("id", p[3], "change", "killing"));
    }
    return notFound(method, path);
  }

  private static void sameId(String inPath, String inSpec) {
    if (!inPath.equals(inSpec)) {
      throw new ValidationException(
          "id", "is '" + inSpec + "' but the path names '" + inPath + "' (they must agree)");
    }
  }

  private static Response submitted(String id, String kind, String change) {
    return new Response(
        change.startsWith("created") ? 201 : 200, Map.of("id", id, "kind", kind, "change", change));
  }

  private static String[] segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    String[] parts = trimmed.split("/");
    for (int i = 0; i < parts.length; i++) {
      parts[i] = java.net.URLDecoder.decode(parts[i], java.nio.charset.StandardCharsets.UTF_8);
    }
    return parts;
  }

  private static Response ok(Object body) {
    return new Response(200, body);
  }

  private static Response problem(Problem p) {
    return new Response(p.status(), p);
  }

  private static Response notFound(String method, String path) {
    return problem(Problem.of(404, "Not found", "no route " + method + " " + path));
  }

  private static Response notAllowed(String method, String path) {
    return problem(Problem.of(405, "Method not allowed", method + " is not allowed on " + path));
  }
}

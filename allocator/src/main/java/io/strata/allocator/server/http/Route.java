package io.strata.allocator.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.strata.allocator.authz.Action;
import io.strata.allocator.authz.Permission;
import java.util.List;
import java.util.function.Function;

/**
 * One route of the HTTP API: method, Javalin path pattern, who may call it and what it needs, and
 * its handler. The server registers exactly these, and the OpenAPI test compares them with the
 * document.
 */
public record Route(String method, String path, Guard guard, Handler handler) {

  /** The agent routes' guard. */
  static final Guard AGENT = new Guard.Agent();

  /** Who may call a route, and which permissions a request needs (checked before the handler). */
  public sealed interface Guard {
    /** Anyone: health and the OpenAPI document. */
    record Open() implements Guard {}

    /** Agents: a join token or an agent's credential ({@code HttpApi.agent}). */
    record Agent() implements Guard {}

    /**
     * A principal's token, then every permission {@code needs} finds in the request (from its path
     * or body). {@code declared} says what in words, for people and the matrix test.
     */
    record Principal(String declared, Function<Context, List<Permission>> needs) implements Guard {}

    static Guard open() {
      return new Open();
    }

    static Guard agent() {
      return new Agent();
    }

    /** {@code action} on a fixed object, e.g. VIEW on {@code agents}. */
    static Guard to(Action action, String object) {
      return new Principal(
          action.key() + " " + object, ctx -> List.of(new Permission(action, object)));
    }

    /** {@code action} on the object the request names, e.g. DRAIN_AGENTS on the path's agent. */
    static Guard to(Action action, String what, Function<Context, String> object) {
      return new Principal(
          action.key() + " on " + what, ctx -> List.of(new Permission(action, object.apply(ctx))));
    }

    /** Permissions found by {@code needs}. */
    static Guard of(String declared, Function<Context, List<Permission>> needs) {
      return new Principal(declared, needs);
    }
  }

  public static Route get(String path, Guard guard, Handler handler) {
    return new Route("GET", path, guard, handler);
  }

  public static Route post(String path, Guard guard, Handler handler) {
    return new Route("POST", path, guard, handler);
  }

  public static Route put(String path, Guard guard, Handler handler) {
    return new Route("PUT", path, guard, handler);
  }

  public static Route delete(String path, Guard guard, Handler handler) {
    return new Route("DELETE", path, guard, handler);
  }
}

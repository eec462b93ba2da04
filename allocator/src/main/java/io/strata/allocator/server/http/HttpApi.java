package io.strata.allocator.server.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.authz.Decision;
import io.strata.allocator.authz.Permission;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.auth.ServerTls;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.state.StateStoreException;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server (Javalin on Jetty 12, virtual threads): registers the routes with their guards
 * (authentication, then the authorizer's decision on what each request needs), and turns every
 * failure into {@code application/problem+json}. Expected refusals ({@link ApiError}, {@link
 * ValidationException}) say why; anything else is logged here with an incident id and the client
 * gets that id, never a stack trace.
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  static final String PRINCIPAL = "strata.principal";
  private static final String BODY = "strata.body";

  /**
   * An agent's credential presented to register: the handler checks it is the registering agent's.
   * Absent: a join token was presented (a new agent).
   */
  static final String AGENT_CREDENTIAL = "strata.agentCredential";

  private final Javalin app;
  private final List<String> registered = Collections.synchronizedList(new ArrayList<>());

  public HttpApi(
      AllocatorConfig config,
      Credentials credentials,
      JoinTokens tokens,
      Authorizer authorizer,
      ServerTls tls,
      List<Route> routes) {
    this.app =
        Javalin.create(
            c -> {
              c.startup.showJavalinBanner = false;
              c.startup.showOldJavalinVersionWarning = false;
              c.concurrency.useVirtualThreads = true;
              c.http.maxRequestSize = config.maxRequestBytes();
              c.http.compressionStrategy = CompressionStrategy.NONE;
              c.http.prefer405over404 = true;
              c.jetty.host = config.host();
              c.jetty.port = config.port();
              // Requests Jetty refuses itself (before a route) are answered problem+json too.
              c.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
              c.jetty.modifyHttpConfiguration(UriRules::apply);
              if (tls != null) {
                c.jetty.addConnector((server, http) -> httpsConnector(server, http, config, tls));
              }
              c.events.handlerAdded(
                  h -> registered.add(h.getHttpMethod().name() + " " + h.getPath()));
              for (Route r : routes) {
                c.routes.addHttpHandler(
                    HandlerType.findOrCreate(r.method()),
                    r.path(),
                    guarded(r.guard(), credentials, tokens, authorizer, r.handler()));
              }
              c.routes.exception(Exception.class, HttpApi::fail);
              // Javalin answers some errors itself (no route, wrong method, body too large):
              // give those the problem+json shape too.
              for (int status : new int[] {400, 404, 405, 408, 413, 500}) {
                c.routes.error(status, HttpApi::errorPage);
              }
            });
  }

  public HttpApi start() {
    app.start();
    return this;
  }

  public int port() {
    return app.port();
  }

  /** "METHOD path" of every route Javalin registered. */
  public List<String> registeredRoutes() {
    return List.copyOf(registered);
  }

  @Override
  public void close() {
    app.stop();
  }

  /** The only connector when the allocator serves HTTPS (Javalin then adds no plain one). */
  private static ServerConnector httpsConnector(
      Server server, HttpConfiguration plain, AllocatorConfig config, ServerTls tls) {
    HttpConfiguration https = new HttpConfiguration(plain);
    // No SNI host check: clients reach allocators under names the certificate cannot know.
    https.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(tls.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(https));
    connector.setHost(config.host());
    connector.setPort(config.port());
    return connector;
  }

  public static Handler guarded(
      Route.Guard guard,
      Credentials credentials,
      JoinTokens tokens,
      Authorizer authorizer,
      Handler handler) {
    return ctx -> {
      switch (guard) {
        case Route.Guard.Open open -> {}
        case Route.Guard.Agent agent -> agent(ctx, tokens);
        case Route.Guard.Principal needs -> {
          Principal p = authenticate(ctx, credentials, tokens);
          ctx.attribute(PRINCIPAL, p);
          authorize(ctx, p, needs, authorizer);
        }
      }
      handler.handle(ctx);
    };
  }

  /** The principal presenting the bearer token, or 401 saying what to present instead. */
  private static Principal authenticate(Context ctx, Credentials credentials, JoinTokens tokens) {
    String token = bearer(ctx);
    return credentials
        .principal(token)
        .orElseThrow(
            () ->
                ApiError.unauthorized(
                    token == null
                        ? "present a principal's token as bearer token"
                        : tokens.isAgentToken(token)
                                || tokens.join(token) != JoinTokens.Verdict.UNKNOWN
                            ? "an agent's join token or credential is not a principal's token;"
                                + " present a principal's token as bearer token"
                            : "the bearer token is no principal's token"));
  }

  /** 403 naming the principal, the action and the object of every permission it lacks. */
  private static void authorize(
      Context ctx, Principal p, Route.Guard.Principal needs, Authorizer authorizer) {
    List<String> refused = new ArrayList<>();
    for (Permission need : needs.needs().apply(ctx)) {
      if (need.object() == null) {
        continue; // nothing there: the operation answers 404
      }
      if (authorizer.decide(p.name(), need.action(), need.object()) instanceof Decision.Denied d) {
        refused.add(need.field() == null ? d.reason() : need.field() + ": " + d.reason());
      }
    }
    if (!refused.isEmpty()) {
      String detail = String.join("; ", refused);
      // An audit trail of refusals, as Mesos logs them: who tried what on which object.
      LOG.info("{} {} refused: {}", ctx.method(), ctx.path(), detail);
      throw ApiError.forbidden(detail);
    }
  }

  /**
   * An agent route. Registering takes a join token accepted now (a new agent: the handler refuses
   * an id) or an agent's credential (the handler checks it is the registering agent's); a route of
   * one agent ({@code {agentId}} in its path) takes that agent's own credential only.
   */
  private static void agent(Context ctx, JoinTokens tokens) {
    String token = bearer(ctx);
    if (ctx.pathParamMap().get("agentId") != null) {
      tokens.agents().require(AgentApi.agentId(ctx), token);
      return;
    }
    JoinTokens.Verdict join = tokens.join(token);
    if (join == JoinTokens.Verdict.JOIN) {
      return;
    }
    if (tokens.agents().isCredential(token)) {
      ctx.attribute(AGENT_CREDENTIAL, token);
      return;
    }
    if (join == JoinTokens.Verdict.REVOKED) {
      throw ApiError.unauthorized(
          "the join token was revoked; an operator issues a new one (POST "
              + Paths.JOIN_TOKENS
              + "), and agents that joined present their own credential");
    }
    if (join == JoinTokens.Verdict.EXPIRED) {
      throw ApiError.unauthorized(
          "the join token has expired; an operator issues a new one (POST "
              + Paths.JOIN_TOKENS
              + "), and agents that joined present their own credential");
    }
    throw ApiError.unauthorized(
        "agents present a join token, or once registered their own credential, as bearer token");
  }

  private static String bearer(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return h.substring(7).trim();
  }

  public static Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  /**
   * Decodes the JSON body, or throws with every violation and its field path. Decoded once per
   * request: a guard that reads the body (e.g. the role a change is for) and the handler share it.
   */
  static <T> T body(Context ctx, Class<T> type) {
    Object decoded = ctx.attribute(BODY);
    if (type.isInstance(decoded)) {
      return type.cast(decoded);
    }
    T value = Codec.JSON.decode(ctx.bodyAsBytes(), type);
    ctx.attribute(BODY, value);
    return value;
  }

  static void json(Context ctx, int status, Object value) {
    ctx.status(status).contentType("application/json").result(Codec.JSON.encodeBytes(value));
  }

  static void problem(Context ctx, Problem problem) {
    Problem p =
        problem.instance() == null
            ? new Problem(
                problem.type(),
                problem.title(),
                problem.status(),
                problem.detail(),
                ctx.path(),
                problem.violations(),
                problem.retryable())
            : problem;
    ctx.status(p.status()).contentType(Problem.MEDIA_TYPE).result(Codec.JSON.encodeBytes(p));
  }

  private static void errorPage(Context ctx) {
    String type = ctx.res().getContentType();
    if (type != null && type.startsWith(Problem.MEDIA_TYPE)) {
      return;
    }
    int status = ctx.statusCode();
    String detail =
        switch (status) {
          case 404 -> "no route " + ctx.method() + " " + ctx.path();
          case 405 -> ctx.method() + " is not allowed on " + ctx.path();
          case 408 -> "the request body did not arrive in time; nothing was done";
          case 413 -> "the request body is larger than the limit";
          default ->
              ctx.result() == null || ctx.result().isBlank() ? "HTTP " + status : ctx.result();
        };
    problem(ctx, Problem.of(status, titleOf(status), detail));
  }

  private static String titleOf(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 408 -> "Request timeout";
      case 413 -> "Content too large";
      default -> "HTTP " + status;
    };
  }

  private static void fail(Exception e, Context ctx) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    switch (t) {
      case ApiError a -> problem(ctx, a.problem());
      case ValidationException v -> problem(ctx, Problem.invalid(ctx.path(), v.violations()));
      case HttpResponseException h -> problem(ctx, fromJavalin(ctx, h));
      case StateStoreException s -> {
        LOG.error("{} {}: state store failure", ctx.method(), ctx.path(), s);
        problem(
            ctx,
            Problem.of(
                503,
                "State store unavailable",
                "the change could not be made durable (it may or may not have been applied); a"
                    + " single allocator must be restarted, one of an HA group steps down"));
      }
      case EofException eof when ctx.res().isCommitted() ->
          LOG.debug("{} {}: client went away", ctx.method(), ctx.path());
      case EofException eof -> problem(ctx, RequestBodyFailure.problem(eof));
      case HttpException.RuntimeException h when h.getCode() < 500 ->
          problem(ctx, RequestBodyFailure.problem(h));
      default -> {
        String incident = UUID.randomUUID().toString();
        LOG.error("{} {}: incident {}", ctx.method(), ctx.path(), incident, t);
        problem(
            ctx,
            Problem.of(
                500, "Internal error", "incident " + incident + " (details in the allocator log)"));
      }
    }
  }

  private static Problem fromJavalin(Context ctx, HttpResponseException h) {
    int status = h.getStatus();
    String detail =
        switch (status) {
          case 404 -> "no route " + ctx.method() + " " + ctx.path();
          case 405 -> ctx.method() + " is not allowed on " + ctx.path();
          case 413 -> "the request body is larger than the limit";
          default -> h.getMessage();
        };
    String title = h.getMessage() == null ? "HTTP " + status : h.getMessage();
    return Problem.of(status, capitalize(title), detail);
  }

  private static String capitalize(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replace('_', ' ');
    return lower.isEmpty() ? lower : Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }
}

package io.strata.allocator.server.http;

import static io.strata.allocator.server.http.Route.AGENT;

import io.javalin.http.Context;
import io.strata.allocator.server.auth.AgentCredentials;
import io.strata.allocator.server.auth.JoinTokens;
import io.strata.allocator.server.auth.ServerTls;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.server.master.Master;
import io.strata.api.AgentId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.client.Paths;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.io.OutputStream;
import java.util.List;

/** The agent API: register, heartbeat, status updates and the agent's message stream. */
public final class AgentApi {
  private final Master master;
  private final long heartbeatMillis;
  private final JoinTokens tokens;
  private final String accessKey;
  private final ServerTls tls;
  private final java.time.Clock clock;

  public AgentApi(Master master, long heartbeatMillis, JoinTokens tokens) {
    this(master, heartbeatMillis, tokens, null, null, java.time.Clock.systemUTC());
  }

  /**
   * @param accessKey the public key agents check access tokens with ({@link AgentAccessApi})
   * @param tls this allocator's TLS identity: with the cluster CA's key it certifies the agents'
   *     endpoint keys; null for plain HTTP
   */
  public AgentApi(
      Master master,
      long heartbeatMillis,
      JoinTokens tokens,
      String accessKey,
      ServerTls tls,
      java.time.Clock clock) {
    this.tls = tls;
    this.clock = clock;
    this.master = master;
    this.heartbeatMillis = heartbeatMillis;
    this.tokens = tokens;
    this.accessKey = accessKey;
  }

  public List<Route> routes() {
    String agent = Paths.AGENTS + "/{agentId}";
    return List.of(
        Route.post(Paths.AGENT_REGISTER, AGENT, this::register),
        Route.post(agent + "/heartbeat", AGENT, this::heartbeat),
        Route.post(agent + "/status", AGENT, this::status),
        Route.post(agent + "/statuses", AGENT, this::statuses),
        Route.get(agent + "/stream", AGENT, this::stream));
  }

  /**
   * A join token registers a new agent: the allocator assigns its id and issues its credential (an
   * id in the request is refused, naming the field: only the agent's own credential re-registers
   * it). An agent's credential re-registers that agent; the answer carries the same credential.
   */
  private void register(Context ctx) {
    RegisterAgent registration = HttpApi.body(ctx, RegisterAgent.class);
    java.security.PublicKey endpointKey = endpointKey(registration.publicKey());
    String credential = ctx.attribute(HttpApi.AGENT_CREDENTIAL);
    AgentRegistered answer;
    if (credential == null) {
      if (registration.agentId() != null) {
        throw ApiError.invalid(
            403,
            "Forbidden",
            List.of(
                new Violation(
                    "agentId",
                    "a join token registers a new agent, whose id the allocator assigns: send no"
                        + " id; re-registering agent "
                        + registration.agentId()
                        + " takes that agent's own credential")));
      }
      credential = AgentCredentials.issue();
      answer = master.agents().join(registration, AgentCredentials.sha256(credential));
    } else {
      if (registration.agentId() == null) {
        throw ApiError.unauthorized(
            "an agent's credential re-registers that agent only (send its id); new agents present"
                + " a join token");
      }
      String presented = credential;
      answer =
          master
              .agents()
              .reregister(
                  registration, () -> tokens.agents().require(registration.agentId(), presented));
    }
    HttpApi.json(
        ctx,
        200,
        new AgentRegistered(
            answer.agentId(),
            answer.heartbeatIntervalMillis(),
            credential,
            accessKey,
            certificate(answer.agentId(), registration, endpointKey)));
  }

  /** The registration's endpoint key; 400 naming {@code publicKey} when it is not an EC key. */
  private static java.security.PublicKey endpointKey(String text) {
    if (text == null) {
      return null;
    }
    try {
      return java.security.KeyFactory.getInstance("EC")
          .generatePublic(
              new java.security.spec.X509EncodedKeySpec(
                  java.util.Base64.getDecoder().decode(text)));
    } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
      throw new ValidationException(
          "publicKey", "is not an EC public key (base64 of its X.509 SubjectPublicKeyInfo)");
    }
  }

  /** The cluster CA's certificate for the agent's endpoint, or null (no key, or no CA key). */
  private String certificate(AgentId id, RegisterAgent registration, java.security.PublicKey key) {
    if (key == null || tls == null) {
      return null;
    }
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    names.add(registration.info().hostname());
    String endpoint = registration.info().endpoint();
    if (endpoint != null) {
      try {
        String host = java.net.URI.create(endpoint).getHost();
        if (host != null) {
          names.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        }
      } catch (IllegalArgumentException e) {
        // An endpoint that is no URI names no host.
      }
    }
    return tls.certifyAgent(key, "strata agent " + id.value(), names, clock.instant()).orElse(null);
  }

  private void heartbeat(Context ctx) {
    master.agents().heartbeat(agentId(ctx));
    ctx.status(204);
  }

  private void status(Context ctx) {
    TaskStatus status = HttpApi.body(ctx, TaskStatus.class);
    HttpApi.json(ctx, 200, master.agents().statuses().status(agentId(ctx), status));
  }

  private void statuses(Context ctx) {
    AgentId id = agentId(ctx);
    StatusUpdates batch = HttpApi.body(ctx, StatusUpdates.class);
    HttpApi.json(ctx, 200, master.agents().statuses().statuses(id, batch));
  }

  private void stream(Context ctx) throws Exception {
    AgentId id = agentId(ctx);
    Master.Connection<AgentMessage> conn = master.agents().openStream(id);
    OutputStream out = NdjsonPump.open(ctx, conn.mailbox(), conn.number());
    NdjsonPump.pump(
        out, conn.mailbox(), conn.number(), null, AgentMessage.Heartbeat::new, heartbeatMillis);
  }

  static AgentId agentId(Context ctx) {
    String raw = ctx.pathParam("agentId");
    try {
      return AgentId.of(raw);
    } catch (ValidationException e) {
      throw ApiError.notFound("no agent " + raw);
    }
  }
}

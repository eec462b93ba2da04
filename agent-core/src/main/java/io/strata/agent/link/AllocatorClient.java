package io.strata.agent.link;

import io.strata.api.AgentId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusAck;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.ApiException;
import io.strata.api.client.Failover;
import io.strata.api.client.NdjsonStream;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * The agent's client for the allocator's agent API ({@link Paths}; the same calls as the api
 * module's {@code AgentClient}), over {@link HttpURLConnection}: blocking calls on the caller's
 * thread, kept-alive connections, the NDJSON stream read on its own thread ({@link MessageStream}).
 *
 * <p>Why not {@code java.net.http}: its client brings a selector thread, a worker pool and some 250
 * classes, several MB of resident memory that an idle agent would keep for three kinds of request
 * (BENCHMARKS.md, "Linux agent"). HTTPS trusts the cluster CA given to it, or the JVM's default;
 * TLS classes load only when the allocator's URL is https.
 *
 * <p>Every failure is an {@link ApiException}: status 0 when the allocator cannot be reached, else
 * the allocator's problem+json answer (or the HTTP status when it sent none).
 */
public final class AllocatorClient {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int REQUEST_TIMEOUT_MILLIS = 30_000;
  private static final String ACCEPT =
      "application/json, application/x-ndjson, " + Problem.MEDIA_TYPE;

  private final Failover failover;
  private final String joinToken;
  private final SSLSocketFactory tls;
  private volatile String token;
  private volatile String accessKey;
  private volatile String certificate;
  private static final System.Logger LOG = System.getLogger(AllocatorClient.class.getName());

  public AllocatorClient(URI allocator, String joinToken) {
    this(allocator, joinToken, null);
  }

  /**
   * @param tls for an {@code https} allocator: the TLS context to trust it with (the cluster CA's,
   *     {@code ClusterTrust#context()}, which checks the chain and not the host name); null takes
   *     the JVM's default, host name checked
   */
  public AllocatorClient(URI allocator, String joinToken, SSLContext tls) {
    this(AllocatorEndpoints.of(allocator), joinToken, tls);
  }

  /**
   * A client of whichever of {@code allocators} leads (one URL, a list, or {@code zk://}): every
   * call goes through {@link Failover}, so a standby's 307 is followed, a dead allocator skipped,
   * and the stream opened again after a failover reaches the new leader. The caller closes {@code
   * allocators}.
   */
  public AllocatorClient(AllocatorEndpoints allocators, String joinToken, SSLContext tls) {
    this(new Failover(allocators), joinToken, tls);
  }

  /** As above, failing over as {@code failover} says (its policy and pause: tests). */
  public AllocatorClient(Failover failover, String joinToken, SSLContext tls) {
    this.failover = failover;
    this.joinToken = joinToken;
    this.token = joinToken;
    this.tls = tls == null ? null : tls.getSocketFactory();
  }

  /**
   * Presents {@code agentToken} from now on (null: the join token again). Set it from a previous
   * run's registration before registering again.
   */
  public void useAgentToken(String agentToken) {
    this.token = agentToken == null ? joinToken : agentToken;
  }

  /**
   * Registers. A new agent (no id) presents the join token and the allocator assigns its id; a
   * re-registration (with the id) presents the agent's own credential, the only one that acts for
   * that id: a 401 means it no longer does (revoked, or the agent was removed and forgotten, or the
   * allocator lost its state) and the agent must join anew without an id. The answer's credential
   * is used from then on.
   */
  public AgentRegistered register(RegisterAgent registration) {
    String bearer = registration.agentId() == null ? joinToken : token;
    AgentRegistered answer =
        post(Paths.AGENT_REGISTER, registration, AgentRegistered.class, bearer);
    if (answer != null && answer.agentToken() != null) {
      useAgentToken(answer.agentToken());
    }
    if (answer != null && answer.accessKey() != null) {
      accessKey = answer.accessKey();
    }
    if (answer != null && answer.certificate() != null) {
      certificate = answer.certificate();
    } else if (answer != null && registration.publicKey() != null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "the allocator issued no certificate for the agent's endpoint (it does not hold the"
              + " cluster CA's key): the endpoint refuses TLS clients until one does");
    }
    return answer;
  }

  /**
   * The cluster CA's certificate chain (PEM) for the agent's endpoint key, from the last
   * registration that gave one; null before.
   */
  public String certificate() {
    return certificate;
  }

  /**
   * The key that signs access tokens for the agent's own endpoint, from the last registration that
   * gave one (text form, {@code AccessToken#encodeKey}); null before.
   */
  public String accessKey() {
    return accessKey;
  }

  /**
   * Throws ApiException 404 if the allocator does not know the agent (re-register), 410 if GONE.
   */
  public void heartbeat(AgentId agent) {
    post(Paths.agentHeartbeat(agent.value()), null, null);
  }

  /** Returns once the update is durable at the allocator. */
  public StatusAck sendStatus(AgentId agent, TaskStatus status) {
    return post(Paths.agentStatus(agent.value()), status, StatusAck.class);
  }

  /**
   * Sends many updates in one request (in order; at most {@link StatusUpdates#MAX_UPDATES}) and
   * returns once all of them are durable at the allocator, which then names every uuid.
   */
  public StatusAcks sendStatuses(AgentId agent, List<TaskStatus> statuses) {
    return post(Paths.agentStatuses(agent.value()), new StatusUpdates(statuses), StatusAcks.class);
  }

  /** Opens the agent's message stream; fails fast (ApiException) if the allocator refuses it. */
  public MessageStream openStream(AgentId agent, NdjsonStream.Listener<AgentMessage> listener) {
    String path = Paths.agentStream(agent.value());
    String bearer = token;
    HttpURLConnection c =
        failover
            .exchange(
                "GET",
                path,
                base -> {
                  HttpURLConnection con = open(base, "GET", path, 0, bearer);
                  try {
                    con.connect();
                    return answer(con);
                  } catch (IOException e) {
                    con.disconnect();
                    throw e;
                  }
                },
                AllocatorClient::release)
            .response();
    try {
      int status = c.getResponseCode();
      if (status / 100 != 2) {
        throw refused(status, c, path);
      }
    } catch (IOException e) {
      c.disconnect();
      throw unreachable("GET", c, e);
    }
    return MessageStream.start(c, path, listener);
  }

  private <T> T post(String path, Object body, Class<T> type) {
    return post(path, body, type, token);
  }

  private <T> T post(String path, Object body, Class<T> type, String bearer) {
    byte[] bytes = body == null ? null : Codec.JSON.encodeBytes(body);
    HttpURLConnection c =
        failover
            .exchange(
                "POST",
                path,
                base -> {
                  HttpURLConnection con = open(base, "POST", path, REQUEST_TIMEOUT_MILLIS, bearer);
                  try {
                    if (bytes != null) {
                      con.setRequestProperty("Content-Type", "application/json");
                      // Buffered, not streamed: in streaming mode a 401 answer's body is lost.
                      con.setDoOutput(true);
                      try (OutputStream out = con.getOutputStream()) {
                        out.write(bytes);
                      }
                    }
                    return answer(con);
                  } catch (IOException e) {
                    // The connection may be half-used: never hand it back to the keep-alive cache.
                    con.disconnect();
                    throw e;
                  }
                },
                AllocatorClient::release)
            .response();
    byte[] answer;
    try {
      int status = c.getResponseCode();
      if (status / 100 != 2) {
        throw refused(status, c, path);
      }
      try (InputStream in = c.getInputStream()) {
        answer = in.readAllBytes();
      }
    } catch (IOException e) {
      c.disconnect();
      throw unreachable("POST", c, e);
    }
    if (type == null || answer.length == 0) {
      return null;
    }
    try {
      return Codec.JSON.decode(answer, type);
    } catch (ValidationException e) {
      throw new ApiException(
          Problem.of(
              502,
              "Bad answer",
              "the server's answer to " + path + " did not decode: " + e.getMessage()));
    }
  }

  /** The status and the headers failover reads; the connection is the answer. */
  private static Failover.Answer<HttpURLConnection> answer(HttpURLConnection c) throws IOException {
    int status = c.getResponseCode();
    return new Failover.Answer<>(
        status,
        Optional.ofNullable(c.getHeaderField("Location")),
        Optional.ofNullable(c.getHeaderField("Retry-After")),
        c);
  }

  /** A redirect's or a skipped 503's answer: its body read, so the connection can be reused. */
  private static void release(HttpURLConnection c) {
    try (InputStream err = c.getErrorStream()) {
      if (err != null) {
        err.readNBytes(64 * 1024);
      }
    } catch (IOException e) {
      c.disconnect();
    }
  }

  private HttpURLConnection open(
      URI base, String method, String path, int readTimeoutMillis, String bearer)
      throws IOException {
    // No proxy, like java.net.http's default: the allocator is reached directly.
    HttpURLConnection c;
    try {
      c = (HttpURLConnection) URI.create(base + path).toURL().openConnection(Proxy.NO_PROXY);
    } catch (IllegalArgumentException e) {
      throw new IOException("bad URL " + base + path, e);
    }
    if (tls != null && c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
      // The given context's trust (the cluster CA's) decides; see the constructor.
      https.setHostnameVerifier((host, session) -> true);
    }
    c.setRequestMethod(method);
    c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    c.setReadTimeout(readTimeoutMillis);
    c.setUseCaches(false);
    c.setInstanceFollowRedirects(false);
    if (bearer != null) {
      c.setRequestProperty("Authorization", "Bearer " + bearer);
    }
    c.setRequestProperty("Accept", ACCEPT);
    return c;
  }

  private static ApiException unreachable(String method, HttpURLConnection c, Exception e) {
    return new ApiException(method + " " + c.getURL() + " unreachable: " + e.getMessage(), e);
  }

  /** The allocator's answer to a refused request, as a problem; its connection is released. */
  private static ApiException refused(int status, HttpURLConnection c, String path) {
    byte[] body = new byte[0];
    try (InputStream err = c.getErrorStream()) {
      if (err != null) {
        body = err.readNBytes(64 * 1024);
      }
    } catch (IOException e) {
      // The status alone says enough; the detail is lost.
      c.disconnect();
    }
    Problem problem;
    try {
      problem = Codec.JSON.decode(body, Problem.class);
    } catch (RuntimeException e) {
      String text = new String(body, StandardCharsets.UTF_8);
      problem =
          Problem.of(
              status, "HTTP " + status, text.isBlank() ? "no detail for " + path : text.strip());
    }
    return new ApiException(Objects.requireNonNull(problem));
  }
}

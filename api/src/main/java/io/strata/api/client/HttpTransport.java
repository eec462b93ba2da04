package io.strata.api.client;

import com.fasterxml.jackson.databind.JavaType;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The JSON-over-HTTP plumbing the API clients share (java.net.http): bearer authentication,
 * problem+json errors turned into {@link ApiException}, and NDJSON streams.
 */
public final class HttpTransport {
  private final Failover failover;
  private final String token;
  private final HttpClient http;
  private final Duration requestTimeout;

  public HttpTransport(URI base, String token) {
    this(base, token, Duration.ofSeconds(30));
  }

  public HttpTransport(URI base, String token, Duration requestTimeout) {
    this(base, token, requestTimeout, null);
  }

  /**
   * @param tls the TLS context for an {@code https} base (e.g. {@link ClusterTrust#context()});
   *     null takes the JVM's default. An {@code http} base never uses TLS and ignores it.
   */
  public HttpTransport(URI base, String token, Duration requestTimeout, SSLContext tls) {
    this(AllocatorEndpoints.of(base), token, requestTimeout, tls);
  }

  /**
   * A transport to whichever of {@code allocators} leads ({@link Failover}). The caller owns {@code
   * allocators} (close it when done with a {@code zk://} address); it may share it between
   * transports.
   *
   * @param tls the TLS context for every {@code https} allocator; null takes the JVM's default. An
   *     all-{@code http} address never uses TLS and ignores it.
   */
  public HttpTransport(
      AllocatorEndpoints allocators, String token, Duration requestTimeout, SSLContext tls) {
    this(new Failover(allocators), token, requestTimeout, tls);
  }

  /** As above, failing over as {@code failover} says (its policy, its pause). */
  public HttpTransport(Failover failover, String token, Duration requestTimeout, SSLContext tls) {
    this.failover = failover;
    this.token = token;
    this.requestTimeout = requestTimeout;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
    if (failover.endpoints().address().scheme().filter("http"::equals).isPresent()) {
      builder.sslContext(plainHttpOnly());
    } else if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  private HttpTransport(HttpTransport other, String token) {
    this.failover = other.failover;
    this.token = token;
    this.requestTimeout = other.requestTimeout;
    this.http = other.http;
  }

  /** The same transport (connections, TLS) presenting another bearer token. */
  public HttpTransport withToken(String newToken) {
    return new HttpTransport(this, newToken);
  }

  /**
   * A TLS context for a client that only speaks plain HTTP. Without one, {@code HttpClient} builds
   * the JDK's default context, which loads the TLS stack and parses the whole CA store: a few MB a
   * small process (a node agent) would keep for nothing. Any attempt to use TLS with it fails.
   */
  public static javax.net.ssl.SSLContext plainHttpOnly() {
    return new javax.net.ssl.SSLContext(new NoTls(), null, "none") {};
  }

  /** The TLS implementation of {@link #plainHttpOnly()}: none. */
  private static final class NoTls extends javax.net.ssl.SSLContextSpi {
    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException("this client speaks plain HTTP only");
    }

    @Override
    protected void engineInit(
        javax.net.ssl.KeyManager[] km,
        javax.net.ssl.TrustManager[] tm,
        java.security.SecureRandom random) {}

    @Override
    protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }

    @Override
    protected javax.net.ssl.SSLParameters engineGetDefaultSSLParameters() {
      return new javax.net.ssl.SSLParameters();
    }

    @Override
    protected javax.net.ssl.SSLParameters engineGetSupportedSSLParameters() {
      return new javax.net.ssl.SSLParameters();
    }
  }

  /**
   * The allocator requests go to now: the leader once known (for one URL, that URL until a redirect
   * names another).
   */
  public URI base() {
    return failover.endpoints().current();
  }

  /** The allocators this transport talks to. */
  public AllocatorEndpoints allocators() {
    return failover.endpoints();
  }

  /** Sends a request and decodes the JSON answer into {@code type} (null for none). */
  public <T> T send(String method, String path, Object body, Class<T> type) {
    return send(
        method,
        path,
        body,
        type == null ? null : Codec.JSON.mapper().constructType(type),
        Map.of());
  }

  public <T> T send(
      String method, String path, Object body, JavaType type, Map<String, String> headers) {
    HttpResponse<byte[]> response =
        exchange(
            method, path, body, headers, requestTimeout, HttpResponse.BodyHandlers.ofByteArray());
    checkStatus(response.statusCode(), response.body(), path);
    if (type == null || response.body().length == 0) {
      return null;
    }
    try {
      return Codec.JSON.decode(response.body(), type);
    } catch (ValidationException e) {
      throw new ApiException(
          Problem.of(
              502,
              "Bad answer",
              "the server's answer to " + path + " did not decode: " + e.getMessage()));
    }
  }

  /** Sends a request whose answer is a text document (metrics, logs). */
  public String sendForText(String method, String path) {
    HttpResponse<byte[]> response =
        exchange(
            method, path, null, Map.of(), requestTimeout, HttpResponse.BodyHandlers.ofByteArray());
    checkStatus(response.statusCode(), response.body(), path);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /**
   * Opens a newline-delimited JSON stream; each line is decoded into {@code type} and handed to the
   * listener on a dedicated thread. Fails fast (ApiException) if the server refuses it. The stream
   * is opened at the leader (redirects followed, dead allocators skipped); when it breaks, opening
   * it again through this transport finds the new leader the same way.
   */
  public <T> NdjsonStream<T> stream(
      String method,
      String path,
      Object body,
      Class<T> type,
      Map<String, String> headers,
      NdjsonStream.Listener<T> listener) {
    HttpResponse<java.io.InputStream> response =
        exchange(method, path, body, headers, null, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 != 2) {
      checkStatus(response.statusCode(), drain(response.body()), path);
    }
    return NdjsonStream.start(response, type, listener);
  }

  /** Sends the request to the leader ({@link Failover}): the answer with any final status. */
  private <B> HttpResponse<B> exchange(
      String method,
      String path,
      Object body,
      Map<String, String> headers,
      Duration timeout,
      HttpResponse.BodyHandler<B> handler) {
    byte[] bytes = body == null ? null : Codec.JSON.encodeBytes(body);
    return failover
        .exchange(
            method,
            path,
            base -> {
              HttpRequest.Builder request = request(base, method, path, bytes, headers);
              if (timeout != null) {
                request.timeout(timeout);
              }
              HttpResponse<B> r = http.send(request.build(), handler);
              return new Failover.Answer<>(
                  r.statusCode(),
                  r.headers().firstValue("Location"),
                  r.headers().firstValue("Retry-After"),
                  r);
            },
            r -> {
              if (r.body() instanceof java.io.InputStream in) {
                drain(in);
              }
            })
        .response();
  }

  /** Up to 64 KiB of an answer's body (an error's problem), and the stream closed. */
  private static byte[] drain(java.io.InputStream body) {
    try (java.io.InputStream in = body) {
      return in.readNBytes(64 * 1024);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private HttpRequest.Builder request(
      URI base, String method, String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    b.header("Accept", "application/json, application/x-ndjson, " + Problem.MEDIA_TYPE);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    return b;
  }

  private static void checkStatus(int status, byte[] body, String path) {
    if (status / 100 == 2) {
      return;
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
    throw new ApiException(Objects.requireNonNull(problem));
  }
}

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
  private final URI base;
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
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.token = token;
    this.requestTimeout = requestTimeout;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1);
    if ("http".equals(this.base.getScheme())) {
      builder.sslContext(plainHttpOnly());
    } else if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
  }

  private HttpTransport(HttpTransport other, String token) {
    this.base = other.base;
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

  public URI base() {
    return base;
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
    HttpRequest request = request(method, path, body, headers).timeout(requestTimeout).build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ApiException(method + " " + base + path + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted calling " + base + path, e);
    }
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
    HttpRequest request = request(method, path, null, Map.of()).timeout(requestTimeout).build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      checkStatus(response.statusCode(), response.body(), path);
      return new String(response.body(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ApiException(method + " " + base + path + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted calling " + base + path, e);
    }
  }

  /**
   * Opens a newline-delimited JSON stream; each line is decoded into {@code type} and handed to the
   * listener on a dedicated thread. Fails fast (ApiException) if the server refuses it.
   */
  public <T> NdjsonStream<T> stream(
      String method,
      String path,
      Object body,
      Class<T> type,
      Map<String, String> headers,
      NdjsonStream.Listener<T> listener) {
    HttpRequest request = request(method, path, body, headers).build();
    HttpResponse<java.io.InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new ApiException(method + " " + base + path + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted calling " + base + path, e);
    }
    if (response.statusCode() / 100 != 2) {
      byte[] error;
      try (java.io.InputStream in = response.body()) {
        error = in.readNBytes(64 * 1024);
      } catch (IOException e) {
        error = new byte[0];
      }
      checkStatus(response.statusCode(), error, path);
    }
    return NdjsonStream.start(response, type, listener);
  }

  private HttpRequest.Builder request(
      String method, String path, Object body, Map<String, String> headers) {
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
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(Codec.JSON.encodeBytes(body)));
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

package io.strata.allocator.server.http;

import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's answer to requests it refuses before any route sees them (a request line or headers too
 * long, bad percent-encoding, a NUL in the path, no Host, a bad Content-Length, not HTTP at all):
 * {@code application/problem+json} with the same shape as the routes' errors, for every method,
 * never an HTML page or an empty body. Jetty's reason (e.g. "Illegal character CNTL=0x0") is the
 * detail; an unexpected server fault gets an incident id and is logged, never shown.
 */
final class ProblemErrorHandler extends ErrorHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);

  /** The longest request path echoed as the problem's instance. */
  private static final int MAX_INSTANCE = 1024;

  ProblemErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String reason =
        request.getAttribute(ERROR_MESSAGE) instanceof String s && !s.isBlank() ? s : null;
    Throwable cause = request.getAttribute(ERROR_EXCEPTION) instanceof Throwable t ? t : null;
    if (cause instanceof HttpException h) {
      status = h.getCode();
      reason = reason == null ? h.getReason() : reason;
    }
    if (status < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    if (HttpStatus.hasNoBody(status)) {
      callback.succeeded();
      return true;
    }
    response.setStatus(status);
    Problem problem = problem(status, reason, cause, instance(request));
    byte[] body = Codec.JSON.encodeBytes(problem);
    generateCacheControl(response);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  static Problem problem(int status, String reason, Throwable cause, String instance) {
    String title = title(status);
    String detail;
    if (status >= 500 && status != HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      String incident = UUID.randomUUID().toString();
      LOG.error("HTTP {} for {}: incident {}", status, instance, incident, cause);
      detail = "incident " + incident + " (details in the allocator log)";
    } else {
      detail = reason == null || reason.equalsIgnoreCase(title) ? describe(status) : reason;
    }
    return new Problem(
        null, title, status, detail, instance, java.util.List.of(), status >= 500 || status == 429);
  }

  private static String title(int status) {
    String message = HttpStatus.getMessage(status);
    return message == null || message.isBlank() ? "HTTP " + status : message;
  }

  /** What a client should change, for the statuses Jetty gives without a specific reason. */
  private static String describe(int status) {
    return switch (status) {
      case 400 -> "the request is not valid HTTP/1.1 (request line, URI, headers or framing)";
      case 408 -> "the request did not arrive in time";
      case 413 -> "the request body is larger than the limit";
      case 414 -> "the request line (method and URI) is longer than the limit";
      case 426 -> "HTTP/2 and upgrades are not served: speak HTTP/1.1";
      case 431 -> "the request's header fields are larger than the limit";
      case 505 -> "only HTTP/1.0 and HTTP/1.1 are served";
      default -> "HTTP " + status;
    };
  }

  private static String instance(Request request) {
    try {
      HttpURI uri = request.getHttpURI();
      String path = uri == null ? null : uri.getPath();
      return path == null || path.length() > MAX_INSTANCE || !path.startsWith("/") ? null : path;
    } catch (RuntimeException e) {
      return null;
    }
  }
}

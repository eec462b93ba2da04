package io.strata.allocator.server.http;

import io.strata.api.json.Problem;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.EofException;

/**
 * A request body that could not be read whole: it ended before its Content-Length (the client
 * closed or stalled), or its chunked framing was broken. The handler never runs on what arrived;
 * the client gets 400 (if it is still there to read it).
 */
final class RequestBodyFailure {
  private RequestBodyFailure() {}

  static Problem problem(EofException e) {
    return Problem.of(
        400,
        "Incomplete request body",
        "the request body ended before its Content-Length or final chunk; nothing was done");
  }

  static Problem problem(HttpException.RuntimeException e) {
    String reason = e.getReason() == null || e.getReason().isBlank() ? null : e.getReason();
    return Problem.of(
        e.getCode(),
        e.getCode() == 400 ? "Bad request body" : "HTTP " + e.getCode(),
        "the request body could not be read"
            + (reason == null ? "" : " (" + reason + ")")
            + "; nothing was done");
  }
}

package io.strata.allocator.server.http;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http.UriCompliance.Violation;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * Which request URIs Jetty lets through to the routes. Javalin starts from Jetty's LEGACY rules:
 * they let a {@code %2F} through (ids and store keys are percent-encoded, slashes included), but
 * also {@code %u0041} escapes, which Javalin's path-parameter decoder then fails on (500), and
 * encoded {@code .}/{@code ..} segments, which mean one thing to Jetty and another to a proxy.
 * Those and every malformed escape are refused by Jetty as 400 problem+json ({@link
 * ProblemErrorHandler}).
 */
final class UriRules {
  private UriRules() {}

  static final UriCompliance STRATA =
      UriCompliance.LEGACY.without(
          "STRATA",
          Violation.UTF16_ENCODINGS,
          Violation.AMBIGUOUS_PATH_SEGMENT,
          Violation.BAD_PERCENT_ENCODING,
          Violation.BAD_UTF8_ENCODING,
          Violation.TRUNCATED_UTF8_ENCODING,
          Violation.ILLEGAL_PATH_CHARACTERS);

  static void apply(HttpConfiguration http) {
    http.setUriCompliance(STRATA);
  }
}

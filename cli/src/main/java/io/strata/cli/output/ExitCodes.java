package io.strata.cli.output;

import io.strata.api.client.ApiException;
import io.strata.api.client.ErrorLine;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.io.PrintWriter;

/**
 * What {@code strata} exits with, and how failures are told to the user: one clear message, the
 * field path of every invalid input, never a stack trace (set {@code STRATA_DEBUG=1} for one).
 *
 * <pre>
 * 0  ok
 * 1  the operation failed (the allocator refused it, a process did not start, a wait timed out)
 * 2  bad input or usage: unknown flag, missing argument, invalid spec or config (field paths shown)
 * 3  not found: no such app, job, task or node
 * 4  cannot reach the allocator
 * 5  not authorized: the token is missing or wrong (401), or its principal may not (403)
 * </pre>
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int NOT_FOUND = 3;
  public static final int UNREACHABLE = 4;
  public static final int UNAUTHORIZED = 5;

  private ExitCodes() {}

  /** Prints what went wrong and returns the exit code for it. */
  public static int report(Throwable t, PrintWriter err) {
    if (System.getenv("STRATA_DEBUG") != null) {
      t.printStackTrace(err);
    }
    return switch (t) {
      case CliException c -> {
        err.println(ErrorLine.of(c.getMessage()));
        yield c.code();
      }
      case ValidationException v -> {
        err.println(ErrorLine.of("invalid input:"));
        printViolations(v.violations().stream().toList(), err);
        yield USAGE;
      }
      case ApiException a -> api(a, err);
      case io.strata.provisioner.providers.local.LocalClusterException l -> {
        err.println(ErrorLine.of(l.getMessage()));
        yield FAILURE;
      }
      default -> {
        err.println(
            ErrorLine.of(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
        yield FAILURE;
      }
    };
  }

  private static int api(ApiException a, PrintWriter err) {
    Problem p = a.problem();
    int status = p.status();
    if (status == 0 && tlsFailure(a) != null) {
      err.println(
          ErrorLine.of(
              "the allocator's TLS certificate is not trusted: " + tlsFailure(a).getMessage()));
      err.println(
          "  give the cluster CA (the allocator's caFile, e.g. /etc/strata/ca.pem) with --ca-file,"
              + " STRATA_CA_FILE or caFile in the config file");
      return UNREACHABLE;
    }
    if (status == 0) {
      err.println(
          ErrorLine.of(
              "cannot reach the allocator: "
                  + String.valueOf(p.detail())
                      .replace("unreachable: null", "unreachable (connection refused)")));
      err.println("  is it running? start one with: strata up   (or set --url / STRATA_URL)");
      return UNREACHABLE;
    }
    if (status == 400 || status == 422) {
      err.println(ErrorLine.of("the allocator refused the input: " + p.title()));
      if (p.violations().isEmpty()) {
        err.println("  " + p.detail());
      }
      printViolations(p.violations(), err);
      return USAGE;
    }
    err.println(ErrorLine.of(p.detail() == null ? p.title() : p.detail()));
    return switch (status) {
      case 401 -> {
        err.println("  check the token: --token, --token-file, STRATA_TOKEN or the config file");
        yield UNAUTHORIZED;
      }
      case 403 -> {
        // The token is right; its principal lacks the permission (a viewer changing something).
        err.println(
            "  use the token of a principal allowed to (e.g. an admin's), or have an operator"
                + " grant it (acls in the allocator's configuration)");
        yield UNAUTHORIZED;
      }
      case 404 -> NOT_FOUND;
      default -> FAILURE;
    };
  }

  /** The TLS handshake failure behind {@code a}, if that is what it is. */
  private static Throwable tlsFailure(ApiException a) {
    for (Throwable t = a.getCause(); t != null; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLHandshakeException) {
        return t;
      }
    }
    return null;
  }

  static void printViolations(java.util.List<Violation> violations, PrintWriter err) {
    for (Violation v : violations) {
      err.println("  " + (v.field().isEmpty() ? "" : v.field() + ": ") + v.message());
    }
  }
}

package io.strata.provisioner.providers.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudGate;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Azure SDK calls through the {@link CloudGate}, tried once there (the SDK's retry policy, {@link
 * ArmRetry}, is the one retry layer): SDK errors become {@link CloudException}, and long-running
 * operations are polled one request at a time, each paced by the gate, instead of the SDK's own
 * wait loop.
 */
final class AzureCalls {
  private final CloudGate gate;
  private final Duration pollInterval;
  private final String endpoint;

  /**
   * @param endpoint the Resource Manager URL, named when it cannot be reached
   */
  AzureCalls(CloudGate gate, Duration pollInterval, String endpoint) {
    this.gate = gate;
    this.pollInterval = pollInterval;
    this.endpoint = endpoint;
  }

  <T> T write(String what, Supplier<T> call) {
    return gate.writeOnce(what, () -> translate(what, endpoint, call));
  }

  <T> T read(String what, Supplier<T> call) {
    return gate.readOnce(what, () -> translate(what, endpoint, call));
  }

  /** Starts a long-running operation and waits for its result. */
  <T> T await(String what, Supplier<SyncPoller<PollResult<T>, T>> begin) {
    SyncPoller<PollResult<T>, T> poller = write(what, begin);
    while (true) {
      PollResponse<PollResult<T>> r = read(what, poller::poll);
      if (r.getStatus() == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
        return read(what, poller::getFinalResult);
      }
      if (r.getStatus().isComplete()) {
        throw new CloudException(409, what + " failed: " + failure(r));
      }
      sleep(what);
    }
  }

  /** One poll of an operation: null while it runs, the reason when it failed, "" on success. */
  <T> String pollOnce(String what, SyncPoller<PollResult<T>, T> poller) {
    PollResponse<PollResult<T>> r = read(what, poller::poll);
    if (r.getStatus() == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
      return "";
    }
    return r.getStatus().isComplete() ? failure(r) : null;
  }

  static <T> String failure(PollResponse<PollResult<T>> r) {
    PollResult<T> value = r.getValue();
    if (value != null && value.getError() != null) {
      // ARM puts the reason in the operation's body: {"status":"Failed","error":{code,message}}.
      String body = value.getError().getResponseBody();
      try {
        var error = io.strata.api.json.Codec.JSON.mapper().readTree(body).path("error");
        if (error.has("message")) {
          return error.path("code").asText("Failed") + ": " + error.path("message").asText();
        }
      } catch (java.io.IOException | RuntimeException e) {
        // Not JSON: fall back to what the SDK made of it.
      }
      String message = value.getError().getMessage();
      return message != null && !message.isBlank() ? message : body;
    }
    return "operation ended " + r.getStatus();
  }

  private void sleep(String what) {
    try {
      Thread.sleep(pollInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloudException(0, null, "interrupted waiting for " + what, e);
    }
  }

  /**
   * Signing in failed: unreachable (status 0, naming the sign-in URL), or refused (401: a wrong
   * tenant, client id or secret, which no retry fixes).
   */
  static CloudException signInFailed(String authority, Throwable e) {
    Throwable io = ioCause(e);
    if (io != null) {
      return new CloudException(
          0, null, "cannot reach Azure sign-in at " + authority + ": " + describe(io), e);
    }
    return new CloudException(
        401, null, "Azure sign-in at " + authority + " failed: " + firstLine(e.getMessage()), e);
  }

  private static <T> T translate(String what, String endpoint, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      CloudException known = cloudCause(e);
      if (known != null) {
        throw known;
      }
      if (e instanceof HttpResponseException h && h.getResponse() != null) {
        int status = h.getResponse().getStatusCode();
        String retryAfter = h.getResponse().getHeaderValue("Retry-After");
        throw new CloudException(
            status,
            CloudException.parseRetryAfter(retryAfter),
            what + ": HTTP " + status + " " + firstLine(e.getMessage()),
            e);
      }
      Throwable io = ioCause(e);
      if (io != null) {
        throw new CloudException(
            0,
            null,
            "cannot reach Azure Resource Manager at "
                + endpoint
                + " ("
                + what
                + "): "
                + describe(io),
            e);
      }
      if (e instanceof HttpResponseException) {
        throw new CloudException(0, null, what + ": " + firstLine(e.getMessage()), e);
      }
      throw e;
    }
  }

  private static CloudException cloudCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CloudException c) {
        return c;
      }
    }
    return null;
  }

  private static Throwable ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return t;
      }
    }
    return null;
  }

  /** The innermost message: "Connection refused", not the chain of wrappers. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

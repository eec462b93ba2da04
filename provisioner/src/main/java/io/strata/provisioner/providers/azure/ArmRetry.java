package io.strata.provisioner.providers.azure;

import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryStrategy;
import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudGate;
import java.io.IOException;
import java.time.Duration;

/**
 * The one retry layer for Azure: the SDK's retry policy, configured. It retries 408, 429 and 5xx
 * (after the Retry-After the answer asks for, which the SDK's {@code RetryPolicy} honours, or
 * exponential backoff with jitter), and connection failures once Resource Manager has answered
 * (before, an unreachable endpoint fails the first call at once, naming the URL). It is bounded:
 * {@link #MAX_RETRIES} retries per request, and a Retry-After longer than {@link
 * #LONGEST_RETRY_AFTER} is not waited out (the call fails with the 429 instead of hanging). Each
 * retry is reported to the {@link CloudGate}, whose own retries are not used for Azure: a 429 there
 * holds back every worker's writes, and the gate's counters stay the provisioner's view.
 */
final class ArmRetry implements RetryStrategy {
  static final int MAX_RETRIES = 8;
  static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(60);

  private final CloudGate gate;
  private final ExponentialBackoff backoff =
      new ExponentialBackoff(
          new ExponentialBackoffOptions()
              .setMaxRetries(MAX_RETRIES)
              .setBaseDelay(Duration.ofMillis(500))
              .setMaxDelay(Duration.ofSeconds(30)));

  ArmRetry(CloudGate gate) {
    this.gate = gate;
  }

  @Override
  public int getMaxRetries() {
    return MAX_RETRIES;
  }

  @Override
  public Duration calculateRetryDelay(int retryAttempts) {
    return backoff.calculateRetryDelay(retryAttempts);
  }

  @Override
  public boolean shouldRetryCondition(RequestRetryCondition condition) {
    HttpResponse response = condition.getResponse();
    if (response != null) {
      int status = response.getStatusCode();
      if (!(status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505))) {
        return false;
      }
      Duration after = CloudException.parseRetryAfter(response.getHeaderValue("Retry-After"));
      if (after != null && after.compareTo(LONGEST_RETRY_AFTER) > 0) {
        return false;
      }
      gate.retriedBelow(status, after);
      return true;
    }
    Throwable t = condition.getThrowable();
    if (t != null && ioCause(t) && gate.answered()) {
      gate.retriedBelow(0, null);
      return true;
    }
    return false;
  }

  private static boolean ioCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}

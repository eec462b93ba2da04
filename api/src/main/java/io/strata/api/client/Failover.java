package io.strata.api.client;

import io.strata.api.json.Problem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sends one request to the leading allocator, whatever HTTP client carries it (java.net.http in
 * {@link HttpTransport}, {@code HttpURLConnection} in the agent): follows {@code 307}/{@code 308}
 * to the leader (any method; the request, body included, is sent again) and remembers it; on a
 * connection failure, or a {@code 503} with {@code Retry-After} (a standby that knows no leader),
 * tries the next allocator, waiting with backoff after each full round; gives up after {@link
 * Policy#maxAttempts()} failures or {@link Policy#hopLimit()} redirects.
 *
 * <p>With one configured URL this is the behaviour from before HA: a failure there is reported at
 * once, a 503 is the answer. (A 307 is still followed; if the leader it named fails, the next
 * request goes back to the configured URL.)
 *
 * <p>A POST is sent again after a failure only if it never reached the allocator (the connection
 * was refused or timed out): a request that may have been received is not repeated. A redirect is
 * followed only to an {@code http(s)} URL, and never from {@code https} to {@code http}, which
 * would send the credential in clear.
 */
public final class Failover {

  /**
   * How hard to try.
   *
   * @param hopLimit redirects followed for one request before it fails as a redirect loop
   * @param maxAttempts failures (unreachable, 503) tolerated for one request before it fails
   * @param firstBackoff the wait after the first full round of failures; doubles each round
   * @param maxBackoff the longest wait, also the most of a {@code Retry-After} honoured
   */
  public record Policy(int hopLimit, int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    /** 5 redirects; 8 failures, waits 100 ms doubling to 2 s (about 8 s with one address). */
    public static final Policy DEFAULT =
        new Policy(5, 8, Duration.ofMillis(100), Duration.ofSeconds(2));

    public Policy {
      if (hopLimit < 1 || maxAttempts < 1 || firstBackoff.isNegative() || maxBackoff.isNegative()) {
        throw new IllegalArgumentException(
            "invalid failover policy " + hopLimit + "/" + maxAttempts);
      }
    }

    Duration backoff(int round) {
      long millis = firstBackoff.toMillis() << Math.min(Math.max(round - 1, 0), 20);
      return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
  }

  /** What a request got back: its status, the headers failover reads, the answer itself. */
  public record Answer<R>(
      int status, Optional<String> location, Optional<String> retryAfter, R response) {}

  /** One try of the request at one allocator. */
  @FunctionalInterface
  public interface Attempt<R> {
    /**
     * Sends the request to {@code base + path} and returns the answer, whatever its status.
     *
     * @throws IOException the allocator could not be reached or the exchange broke
     */
    Answer<R> send(URI base) throws IOException, InterruptedException;
  }

  /** Releases an answer that is not handed on (a redirect's or a 503's body). */
  @FunctionalInterface
  public interface Release<R> {
    void release(R response);
  }

  /** Waits; {@code Thread::sleep} outside tests. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

  private final AllocatorEndpoints endpoints;
  private final Policy policy;
  private final Pause pause;

  public Failover(AllocatorEndpoints endpoints, Policy policy, Pause pause) {
    this.endpoints = endpoints;
    this.policy = policy;
    this.pause = pause;
  }

  public Failover(AllocatorEndpoints endpoints) {
    this(endpoints, Policy.DEFAULT, d -> Thread.sleep(d));
  }

  public AllocatorEndpoints endpoints() {
    return endpoints;
  }

  /**
   * Sends the request until an allocator answers with something else than a redirect (or a 503 that
   * failover may skip) and returns that answer, any status.
   *
   * @param path the path and query, appended to each allocator's base URL
   * @throws ApiException status 0 when no allocator could be reached ({@code "<method> <url>
   *     unreachable: ..."}), 508 on a redirect loop, 502 on a redirect that may not be followed
   */
  public <R> Answer<R> exchange(
      String method, String path, Attempt<R> attempt, Release<R> release) {
    int failures = 0;
    List<URI> hops = new ArrayList<>();
    URI target = null;
    while (true) {
      try {
        target = endpoints.current();
      } catch (ApiException e) {
        // zk:// only: ZooKeeper unreachable, or it names no leader (yet).
        if (!(e.status() == 0 || e.status() == 503) || ++failures >= policy.maxAttempts()) {
          throw e;
        }
        rest(failures, Optional.empty(), e);
        continue;
      }
      Answer<R> answer;
      try {
        answer = attempt.send(target);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException("interrupted calling " + target + path, e);
      } catch (IOException e) {
        ApiException unreachable =
            new ApiException(method + " " + target + path + " unreachable: " + e.getMessage(), e);
        boolean learnt = !endpoints.isConfigured(target);
        if ((endpoints.isSingle() && !learnt)
            || !mayResend(method, e)
            || ++failures >= policy.maxAttempts()) {
          endpoints.failed(target);
          throw unreachable;
        }
        endpoints.failed(target);
        hops.clear(); // a redirect that led nowhere is no loop: a new round begins
        rest(failures, Optional.empty(), unreachable);
        continue;
      }
      int status = answer.status();
      if (status == 307 || status == 308) {
        release.release(answer.response());
        hops.add(target);
        URI leader = redirectTarget(target, path, answer.location(), status);
        if (hops.size() > policy.hopLimit()) {
          throw new ApiException(
              Problem.of(
                  508,
                  "Redirect loop",
                  method
                      + " "
                      + path
                      + " was redirected more than "
                      + policy.hopLimit()
                      + " times: "
                      + String.join(" -> ", hops.stream().map(URI::toString).toList())
                      + " -> "
                      + leader));
        }
        endpoints.leaderIs(leader);
        continue;
      }
      if (status == 503
          && answer.retryAfter().isPresent()
          && !endpoints.isSingle()
          && failures + 1 < policy.maxAttempts()) {
        failures++;
        release.release(answer.response());
        endpoints.failed(target);
        // A standby that still names a lost leader, then that leader's "no leader": no loop, but
        // no leader; rounds are bounded by the failures, and the last answer is the 503.
        hops.clear();
        rest(failures, answer.retryAfter(), null);
        continue;
      }
      return answer;
    }
  }

  /** After a failure: no wait while a round has addresses left, else backoff (or Retry-After). */
  private void rest(int failures, Optional<String> retryAfter, ApiException cause) {
    int round = endpoints.size();
    if (failures % round != 0) {
      return;
    }
    Duration wait = policy.backoff(failures / round);
    Optional<Duration> asked = retryAfter.flatMap(Failover::seconds);
    if (asked.isPresent()) {
      wait = asked.get().compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : asked.get();
    }
    try {
      pause.pause(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cause != null ? cause : new ApiException("interrupted waiting for a leader", e);
    }
  }

  private static Optional<Duration> seconds(String retryAfter) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.strip()))));
    } catch (NumberFormatException e) {
      // An HTTP date: not sent by allocators; the backoff applies.
      return Optional.empty();
    }
  }

  private static boolean mayResend(String method, IOException e) {
    return IDEMPOTENT.contains(method)
        || e instanceof ConnectException
        || e instanceof HttpConnectTimeoutException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException
        // HttpURLConnection's connect timeout
        || (e instanceof java.net.SocketTimeoutException
            && String.valueOf(e.getMessage())
                .toLowerCase(java.util.Locale.ROOT)
                .contains("connect"));
  }

  /**
   * The leader's base URL from a redirect's {@code Location}: the allocators answer {@code
   * <leader><path>}, so the path is cut off; a Location of another shape gives its scheme and
   * authority. Relative Locations resolve against the allocator that answered.
   */
  static URI redirectTarget(URI from, String path, Optional<String> location, int status) {
    String where = from + path;
    String text =
        location.orElseThrow(
            () ->
                new ApiException(
                    Problem.of(
                        502,
                        "Bad redirect",
                        where + " answered " + status + " without a Location")));
    URI loc;
    try {
      loc = URI.create(where).resolve(new URI(text.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new ApiException(
          Problem.of(502, "Bad redirect", where + " redirected to '" + text + "', not a URL"));
    }
    String scheme =
        loc.getScheme() == null ? "" : loc.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || loc.getRawAuthority() == null) {
      throw new ApiException(
          Problem.of(
              502,
              "Bad redirect",
              where + " redirected to '" + text + "': only http(s) URLs are followed"));
    }
    if ("https".equals(from.getScheme()) && scheme.equals("http")) {
      throw new ApiException(
          Problem.of(
              502,
              "Bad redirect",
              where
                  + " redirected to '"
                  + text
                  + "': refusing to leave https for http (the credential would travel in clear)"));
    }
    String s = loc.toString();
    if (s.endsWith(path) && s.length() > path.length()) {
      String base = s.substring(0, s.length() - path.length());
      URI b = URI.create(base);
      if (b.getRawAuthority() != null
          && (b.getRawPath() == null || !b.getRawPath().endsWith("/"))) {
        return b;
      }
    }
    return URI.create(scheme + "://" + loc.getRawAuthority());
  }
}

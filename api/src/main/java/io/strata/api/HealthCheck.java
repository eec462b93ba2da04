package io.strata.api;

import io.strata.api.json.Checks;

/**
 * How an agent decides a running task is healthy. After {@code gracePeriodMillis} from start, a
 * check runs every {@code intervalMillis}; a check slower than {@code timeoutMillis} fails; after
 * {@code consecutiveFailures} failures in a row the task is killed and reported with reason
 * HEALTH_CHECK_FAILED.
 *
 * @param command for COMMAND: a shell command; exit 0 is healthy
 * @param path for HTTP: the path to GET; 2xx and 3xx are healthy
 * @param port for HTTP and TCP: the port on the task's host; or use {@code portIndex}
 * @param portIndex for HTTP and TCP: index into the task's assigned ports
 */
public record HealthCheck(
    Type type,
    String command,
    String path,
    Integer port,
    Integer portIndex,
    Long intervalMillis,
    Long timeoutMillis,
    Long gracePeriodMillis,
    Integer consecutiveFailures) {

  public enum Type {
    COMMAND,
    HTTP,
    TCP
  }

  public HealthCheck {
    Checks c = new Checks().notNull("type", type);
    intervalMillis = intervalMillis == null ? 10_000L : intervalMillis;
    timeoutMillis = timeoutMillis == null ? 5_000L : timeoutMillis;
    gracePeriodMillis = gracePeriodMillis == null ? 10_000L : gracePeriodMillis;
    consecutiveFailures = consecutiveFailures == null ? 3 : consecutiveFailures;
    c.range("intervalMillis", intervalMillis, 10, 86_400_000);
    c.range("timeoutMillis", timeoutMillis, 10, 86_400_000);
    c.range("gracePeriodMillis", gracePeriodMillis, 0, 86_400_000);
    c.range("consecutiveFailures", consecutiveFailures, 1, 1000);
    if (type == Type.COMMAND) {
      c.notBlank("command", command);
    }
    if (type == Type.HTTP) {
      path = path == null ? "/" : path;
      c.require(path.startsWith("/"), "path", "must start with '/'");
    }
    if (type == Type.HTTP || type == Type.TCP) {
      c.require(
          port != null || portIndex != null,
          "port",
          "is required for " + type + ": set port or portIndex");
      c.require(port == null || portIndex == null, "port", "set port or portIndex, not both");
      if (port != null) {
        c.range("port", port, 1, PortRange.MAX_PORT);
      }
      if (portIndex != null) {
        c.range("portIndex", portIndex, 0, 1000);
      }
    }
    c.done();
  }

  public static HealthCheck http(int port, String path, long intervalMillis) {
    return new HealthCheck(Type.HTTP, null, path, port, null, intervalMillis, null, null, null);
  }

  public static HealthCheck tcp(int port, long intervalMillis) {
    return new HealthCheck(Type.TCP, null, null, port, null, intervalMillis, null, null, null);
  }

  public static HealthCheck command(String command, long intervalMillis) {
    return new HealthCheck(
        Type.COMMAND, command, null, null, null, intervalMillis, null, null, null);
  }
}

package io.strata.allocator.server;

import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.allocator.state.zk.DuplicateIdException;
import io.strata.api.json.ValidationException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java io.strata.allocator.server.AllocatorMain [--config FILE] [--data-dir DIR] [--host
 * HOST] [--port PORT] [--dns-port PORT|off] [--zookeeper zk://HOST:PORT[,...]/ROOT]
 * [--advertise-url URL]}: runs an allocator until SIGTERM or SIGINT, then stops it cleanly. Prints
 * the API address, and the tokens when they were just generated.
 */
public final class AllocatorMain {
  /** Exit status when the allocator stopped being able to make changes durable (EX_SOFTWARE). */
  public static final int EXIT_UNHEALTHY = 70;

  private AllocatorMain() {}

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      // Before the first logger exists: INFO to the console, Jetty and Javalin quieter.
      System.setProperty("logback.configurationFile", "strata-allocator-logback.xml");
    }
    List<String> rest = new ArrayList<>(List.of(args));
    boolean check = rest.remove("--check");
    AllocatorConfig config;
    try {
      config = parse(rest.toArray(String[]::new));
      if (check) {
        System.exit(check(config, System.out, System.err));
        return;
      }
    } catch (ValidationException e) {
      e.violations().forEach(v -> System.err.println("strata allocator: " + v));
      System.exit(2);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("strata allocator: " + e.getMessage());
      System.err.println(
          "usage: AllocatorMain [--config FILE] [--data-dir DIR] [--host HOST] [--port PORT]"
              + " [--dns-port PORT|off]"
              + " [--zookeeper zk://HOST:PORT[,...]/ROOT] [--advertise-url URL] [--check]");
      System.exit(2);
      return;
    }
    AllocatorServer server;
    try {
      server = AllocatorServer.start(config);
    } catch (DuplicateIdException e) {
      System.err.println("strata allocator: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException e) {
      System.err.println("strata allocator: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "allocator-shutdown"));
    describe(server, config, System.out);
    try {
      while (!stopped.await(1, TimeUnit.SECONDS)) {
        if (!server.healthy()) {
          // Crash-only: a supervisor restarts us and recovery rebuilds a consistent state.
          System.err.println("strata allocator: unhealthy (see the log); exiting to be restarted");
          System.exit(EXIT_UNHEALTHY);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code --check}: validates the configuration as a start would (token files, TLS material),
   * starting and writing nothing. Returns the exit code: 0 fine, 2 a problem (each on its line with
   * its field path).
   */
  public static int check(AllocatorConfig config, PrintStream out, PrintStream err) {
    try {
      AllocatorServer.check(config, java.time.Clock.systemUTC())
          .forEach(l -> out.println("  " + l));
      out.println("allocator config ok");
      return 0;
    } catch (ValidationException e) {
      e.violations().forEach(v -> err.println("strata allocator: " + v));
      return 2;
    }
  }

  /** Prints where the allocator serves and, once, the tokens it generated. */
  public static void describe(AllocatorServer server, AllocatorConfig config, PrintStream out) {
    out.println("strata allocator listening on " + server.uri());
    out.println("  data directory: " + config.dataPath().toAbsolutePath());
    out.println(
        server.dnsPort() < 0
            ? "  DNS: off"
            : "  DNS: zone strata. on "
                + config.host()
                + ":"
                + server.dnsPort()
                + " (UDP and TCP), port "
                + server.dnsPort());
    if (config.zookeeper() != null) {
      out.println(
          "  high availability: state in "
              + config.zookeeperUrl().orElseThrow()
              + ", advertised as "
              + server.leader().self()
              + " (a standby until elected; GET /v1/leader says who leads)");
    }
    Credentials c = server.credentials();
    if (c.generated()) {
      out.println(
          "  generated tokens (kept in " + config.dataPath().resolve(Credentials.FILE) + "):");
      // Only what was generated: configured tokens (inline or in files) are never printed.
      if (config.joinToken() == null && config.joinTokenFile() == null) {
        out.println("    agent join token: " + c.joinToken());
      }
      java.util.Set<String> configured = new java.util.HashSet<>();
      Credentials.configured(config).principals().forEach(p -> configured.add(p.name()));
      for (Principal p : c.principals()) {
        if (configured.contains(p.name())) {
          continue;
        }
        if (p.name().equals(Credentials.ADMIN)) {
          out.println("    principal " + p.name() + " token: " + p.token());
        } else {
          // The built-in frameworks' credential nobody types; the viewer's is handed out from the
          // file. Neither goes to a log that may be kept longer and read more widely than the file.
          out.println("    principal " + p.name() + ": in the file (not printed)");
        }
      }
    } else {
      out.println("  tokens: as configured, or in " + config.dataPath().resolve(Credentials.FILE));
    }
    out.flush();
  }

  /**
   * Flags override the config file's values.
   *
   * @throws ValidationException if a value is invalid, naming the field
   * @throws IllegalArgumentException if a flag is unknown or lacks its value
   */
  static AllocatorConfig parse(String[] args) {
    Path file = null;
    String dataDir = null;
    String host = null;
    Integer port = null;
    String zookeeper = null;
    String advertiseUrl = null;
    String dnsPort = null;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String flag = rest.remove(0);
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = rest.remove(0);
      switch (flag) {
        case "--config" -> file = Path.of(value);
        case "--data-dir" -> dataDir = value;
        case "--host" -> host = value;
        case "--zookeeper" -> zookeeper = value;
        case "--advertise-url" -> advertiseUrl = value;
        case "--dns-port" -> dnsPort = value;
        case "--port" -> {
          try {
            port = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            throw new ValidationException("port", "must be an integer (was '" + value + "')");
          }
        }
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    AllocatorConfig base;
    if (file != null) {
      base = AllocatorConfig.load(file);
    } else if (dataDir != null) {
      base = AllocatorConfig.defaults(Path.of(dataDir));
    } else {
      throw new ValidationException("dataDir", "is required: pass --data-dir or --config");
    }
    if (dataDir != null) {
      base = base.withDataDir(dataDir);
    }
    // Before the host: a wildcard host is valid with zookeeper only given an advertised URL.
    if (zookeeper != null || advertiseUrl != null) {
      base = base.withHa(zookeeper, advertiseUrl);
    }
    if (host != null) {
      base = base.withHost(host);
    }
    if (port != null) {
      base = base.withPort(port);
    }
    if ("off".equals(dnsPort)) {
      base = base.withDns(null, false);
    } else if (dnsPort != null) {
      try {
        base = base.withDns(Integer.parseInt(dnsPort), true);
      } catch (NumberFormatException e) {
        throw new ValidationException(
            "dnsPort", "must be a port number or off (was '" + dnsPort + "')");
      }
    }
    return base;
  }
}

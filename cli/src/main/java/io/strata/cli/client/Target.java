package io.strata.cli.client;

import io.strata.api.client.AllocatorAddress;
import io.strata.api.json.Codec;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.provisioner.providers.local.ClusterState;
import io.strata.provisioner.providers.local.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which allocator the CLI talks to and with which token. First found wins (as kubectl: flags, then
 * the environment, then the current context):
 *
 * <ol>
 *   <li>the flags {@code --url} (or {@code --allocator}), {@code --token}, {@code --token-file},
 *       {@code --config FILE};
 *   <li>the environment: {@code STRATA_URL} (or {@code STRATA_ALLOCATOR}), {@code STRATA_TOKEN},
 *       {@code STRATA_TOKEN_FILE}, the config file {@code STRATA_CONFIG} names, the cluster {@code
 *       strata up} started in {@code STRATA_DATA_DIR};
 *   <li>the current context ({@link Contexts}: the cluster {@code strata up} started last, or the
 *       one {@code strata context use} chose);
 *   <li>the default config file {@code ~/.config/strata/config.yaml} ({@code url}, {@code token} or
 *       {@code tokenFile}, {@code caFile});
 *   <li>the cluster {@code strata up} started in {@code ~/.strata};
 *   <li>{@code http://127.0.0.1:5050} without a token.
 * </ol>
 *
 * A URL given without a token takes the token (and CA file) of the context with that URL, or of the
 * local cluster at it: {@code STRATA_URL=http://127.0.0.1:5350 strata ps} just works after {@code
 * strata up --port 5350}. The cluster CA to trust for an {@code https} allocator comes the same
 * way: {@code --ca-file}, {@code STRATA_CA_FILE}, the config file's {@code caFile}, the context's;
 * without one, the JVM's trust store.
 *
 * <p>Wherever a URL is taken (flags, environment, config file, contexts) an HA cluster's address
 * may be given instead: a comma-separated list of URLs or {@code zk://host:2181,host2:2181/strata}
 * ({@link AllocatorAddress}); the CLI then talks to whichever allocator leads.
 *
 * @param address the allocators: one URL, a list, or {@code zk://}
 * @param caFile the cluster CA certificate (PEM) to trust, or null
 */
public record Target(AllocatorAddress address, String token, String source, Path caFile) {
  public static final String DEFAULT_URL = "http://127.0.0.1:5050";

  /** A target trusting the JVM's default CAs. */
  public Target(URI url, String token, String source) {
    this(url, token, source, null);
  }

  public Target(URI url, String token, String source, Path caFile) {
    this(AllocatorAddress.of(url), token, source, caFile);
  }

  /**
   * The allocator's URL: the first one of a list.
   *
   * @throws CliException for a {@code zk://} address, which names no URL
   */
  public URI url() {
    if (address instanceof AllocatorAddress.Urls u) {
      return u.urls().getFirst();
    }
    throw new CliException(
        ExitCodes.USAGE,
        "this command needs an allocator URL, not " + address + " (" + source + ")");
  }

  /** The config file's shape. */
  public record CliConfig(String url, String token, String tokenFile, String caFile) {}

  public static Target resolve(
      String url, String token, Path tokenFile, Path configFile, Map<String, String> env) {
    return resolve(url, token, tokenFile, configFile, null, env);
  }

  public static Target resolve(
      String url,
      String token,
      Path tokenFile,
      Path configFile,
      Path caFile,
      Map<String, String> env) {
    boolean explicitConfig = configFile != null || env.get("STRATA_CONFIG") != null;
    Path config = configFile != null ? configFile : configPath(env);
    CliConfig fromFile = readConfig(config, configFile != null);
    String configUrl = fromFile == null ? null : fromFile.url();
    Contexts.Context current = Contexts.load(env).currentContext().orElse(null);
    boolean dataDirSet = env.get("STRATA_DATA_DIR") != null;
    ClusterState local = LocalCluster.read(dataDir(env)).orElse(null);

    String u;
    String source;
    if (url != null) {
      u = url;
      source = "--url";
    } else if (env.get("STRATA_URL") != null) {
      u = env.get("STRATA_URL");
      source = "STRATA_URL";
    } else if (env.get("STRATA_ALLOCATOR") != null) {
      u = env.get("STRATA_ALLOCATOR");
      source = "STRATA_ALLOCATOR";
    } else if (explicitConfig && configUrl != null) {
      u = configUrl;
      source = String.valueOf(config);
    } else if (dataDirSet && local != null) {
      u = local.url();
      source = "the local cluster in " + dataDir(env);
    } else if (current != null) {
      u = current.url();
      source = "the current context '" + current.name() + "' (strata context)";
    } else if (configUrl != null) {
      u = configUrl;
      source = String.valueOf(config);
    } else if (local != null) {
      u = local.url();
      source = "the local cluster in " + dataDir(env);
    } else {
      u = DEFAULT_URL;
      source = "the default";
    }
    Contexts.Context context =
        current != null && Contexts.sameUrl(current.url(), u)
            ? current
            : Contexts.load(env).forUrl(u).orElse(null);
    boolean configApplies = fromFile != null && (configUrl == null || configUrl.equals(u));

    String t = token;
    if (t == null && tokenFile != null) {
      t = readToken(tokenFile);
    }
    if (t == null) {
      t = env.get("STRATA_TOKEN");
    }
    if (t == null && env.get("STRATA_TOKEN_FILE") != null) {
      t = readToken(Path.of(env.get("STRATA_TOKEN_FILE")));
    }
    if (t == null && configApplies) {
      t =
          fromFile.token() != null
              ? fromFile.token()
              : fromFile.tokenFile() != null ? readToken(Path.of(fromFile.tokenFile())) : null;
    }
    if (t == null
        && context != null
        && context.tokenFile() != null
        && Files.exists(Path.of(context.tokenFile()))) {
      t = readToken(Path.of(context.tokenFile()));
    }
    if (t == null
        && local != null
        && Contexts.sameUrl(local.url(), u)
        && Files.exists(Path.of(local.adminTokenFile()))) {
      t = readToken(Path.of(local.adminTokenFile()));
    }
    AllocatorAddress parsed;
    try {
      parsed = AllocatorAddress.parse(u);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "'" + u + "' (from " + source + ") is not an allocator address: " + e.getMessage());
    }
    Path ca = caFile;
    if (ca == null && env.get("STRATA_CA_FILE") != null) {
      ca = Path.of(env.get("STRATA_CA_FILE"));
    }
    if (ca == null && configApplies && fromFile.caFile() != null) {
      ca = Path.of(fromFile.caFile());
    }
    if (ca == null && context != null && context.caFile() != null) {
      ca = Path.of(context.caFile());
    }
    return new Target(parsed, t, source, ca);
  }

  private static CliConfig readConfig(Path config, boolean mustExist) {
    if (config != null && Files.exists(config)) {
      try {
        return Codec.YAML.decode(Files.readString(config), CliConfig.class);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.USAGE, "cannot read the config file " + config + ": " + e.getMessage());
      }
    }
    if (mustExist) {
      throw new CliException(ExitCodes.USAGE, "no config file " + config);
    }
    return null;
  }

  /**
   * Where {@code strata up} keeps the local cluster: {@code STRATA_DATA_DIR} or {@code ~/.strata}.
   */
  public static Path dataDir(Map<String, String> env) {
    String dir = env.get("STRATA_DATA_DIR");
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".strata");
  }

  /** The config file: {@code STRATA_CONFIG}, or {@code config.yaml} in the XDG config dir. */
  static Path configPath(Map<String, String> env) {
    if (env.get("STRATA_CONFIG") != null) {
      return Path.of(env.get("STRATA_CONFIG"));
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("strata").resolve("config.yaml");
  }

  private static String readToken(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE, "cannot read the token file " + file + ": " + e.getMessage());
    }
  }
}

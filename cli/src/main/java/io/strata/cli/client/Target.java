package io.strata.cli.client;

import io.strata.api.json.Codec;
import io.strata.cli.CliException;
import io.strata.cli.ExitCodes;
import io.strata.provisioner.local.ClusterState;
import io.strata.provisioner.local.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which allocator the CLI talks to and with which token. First found wins:
 *
 * <ol>
 *   <li>the flags {@code --url}, {@code --token}, {@code --token-file};
 *   <li>the environment: {@code STRATA_URL}, {@code STRATA_TOKEN}, {@code STRATA_TOKEN_FILE};
 *   <li>the config file ({@code --config}, {@code STRATA_CONFIG}, or {@code
 *       ~/.config/strata/config.yaml}) with {@code url}, {@code token} or {@code tokenFile};
 *   <li>the local cluster {@code strata up} started (its {@code cluster.json} in the data dir);
 *   <li>{@code http://127.0.0.1:5050} without a token.
 * </ol>
 *
 * The cluster CA to trust for an {@code https} allocator comes the same way: {@code --ca-file},
 * {@code STRATA_CA_FILE}, the config file's {@code caFile}; without one, the JVM's trust store.
 *
 * @param caFile the cluster CA certificate (PEM) to trust, or null
 */
public record Target(URI url, String token, String source, Path caFile) {
  public static final String DEFAULT_URL = "http://127.0.0.1:5050";

  /** A target trusting the JVM's default CAs. */
  public Target(URI url, String token, String source) {
    this(url, token, source, null);
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
    Path config = configFile != null ? configFile : configPath(env);
    CliConfig fromFile = null;
    if (config != null && Files.exists(config)) {
      try {
        fromFile = Codec.YAML.decode(Files.readString(config), CliConfig.class);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.USAGE, "cannot read the config file " + config + ": " + e.getMessage());
      }
    } else if (configFile != null) {
      throw new CliException(ExitCodes.USAGE, "no config file " + configFile);
    }
    ClusterState local = LocalCluster.read(dataDir(env)).orElse(null);

    String u = firstNonNull(url, env.get("STRATA_URL"), fromFile == null ? null : fromFile.url());
    String source =
        url != null
            ? "--url"
            : env.get("STRATA_URL") != null
                ? "STRATA_URL"
                : u != null ? String.valueOf(config) : null;
    if (u == null && local != null) {
      u = local.url();
      source = "the local cluster in " + dataDir(env);
    }
    if (u == null) {
      u = DEFAULT_URL;
      source = "the default";
    }

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
    if (t == null && fromFile != null) {
      t =
          fromFile.token() != null
              ? fromFile.token()
              : fromFile.tokenFile() != null ? readToken(Path.of(fromFile.tokenFile())) : null;
    }
    if (t == null
        && local != null
        && local.url().equals(u)
        && Files.exists(Path.of(local.adminTokenFile()))) {
      t = readToken(Path.of(local.adminTokenFile()));
    }
    URI parsed;
    try {
      parsed = URI.create(u);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "'" + u + "' (from " + source + ") is not a URL");
    }
    if (parsed.getScheme() == null || parsed.getHost() == null) {
      throw new CliException(
          ExitCodes.USAGE, "'" + u + "' (from " + source + ") is not an http:// URL");
    }
    Path ca = caFile;
    if (ca == null && env.get("STRATA_CA_FILE") != null) {
      ca = Path.of(env.get("STRATA_CA_FILE"));
    }
    if (ca == null && fromFile != null && fromFile.caFile() != null) {
      ca = Path.of(fromFile.caFile());
    }
    return new Target(parsed, t, source, ca);
  }

  /**
   * Where {@code strata up} keeps the local cluster: {@code STRATA_DATA_DIR} or {@code ~/.strata}.
   */
  public static Path dataDir(Map<String, String> env) {
    String dir = env.get("STRATA_DATA_DIR");
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".strata");
  }

  private static Path configPath(Map<String, String> env) {
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

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}

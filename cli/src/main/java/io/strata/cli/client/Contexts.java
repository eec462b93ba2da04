package io.strata.cli.client;

import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The clusters the CLI knows and which one is current, as kubectl's contexts: {@code strata up}
 * adds one and makes it current, {@code strata context use NAME} switches. Kept in {@code
 * contexts.yaml} beside the config file ({@code $STRATA_CONFIG}'s directory, else {@code
 * $XDG_CONFIG_HOME/strata/} or {@code ~/.config/strata/}). It holds where the token is, never the
 * token itself.
 *
 * @param current the name of the current context, or null
 */
public record Contexts(String current, List<Context> contexts) {
  public static final String FILE = "contexts.yaml";

  /**
   * One cluster.
   *
   * @param tokenFile where its admin token is (read when the context is used)
   * @param dataDir the data dir of a cluster {@code strata up} started (for {@code strata down})
   * @param dns the allocators' DNS servers for the {@code strata.} zone, {@code ip:port[,...]}
   *     (null: not known)
   */
  public record Context(
      String name, String url, String tokenFile, String caFile, String dataDir, String dns) {

    /** A context whose DNS servers are not known. */
    public Context(String name, String url, String tokenFile, String caFile, String dataDir) {
      this(name, url, tokenFile, caFile, dataDir, null);
    }
  }

  public Contexts {
    contexts = contexts == null ? List.of() : List.copyOf(contexts);
  }

  /** The current context, if one is set and still listed. */
  public Optional<Context> currentContext() {
    return current == null ? Optional.empty() : find(current);
  }

  public Optional<Context> find(String name) {
    return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** A context for {@code url}: the one whose URL is the same but for a trailing slash. */
  public Optional<Context> forUrl(String url) {
    return contexts.stream().filter(c -> sameUrl(c.url(), url)).findFirst();
  }

  /** These contexts with {@code context} added (replacing one of the same name) and current. */
  public Contexts withCurrent(Context context) {
    List<Context> list = new ArrayList<>();
    for (Context c : contexts) {
      if (!c.name().equals(context.name())) {
        list.add(c);
      }
    }
    list.add(context);
    return new Contexts(context.name(), list);
  }

  /** These contexts with {@code name} current; not found if there is no such context. */
  public Contexts use(String name) {
    if (find(name).isEmpty()) {
      throw new CliException(
          ExitCodes.NOT_FOUND, "no context '" + name + "' (see strata context list)");
    }
    return new Contexts(name, contexts);
  }

  /** These contexts without {@code name} (no current one if it was). */
  public Contexts without(String name) {
    if (find(name).isEmpty()) {
      throw new CliException(
          ExitCodes.NOT_FOUND, "no context '" + name + "' (see strata context list)");
    }
    return new Contexts(
        name.equals(current) ? null : current,
        contexts.stream().filter(c -> !c.name().equals(name)).toList());
  }

  /** Where the contexts are kept for this environment. */
  public static Path path(Map<String, String> env) {
    return Target.configPath(env).resolveSibling(FILE);
  }

  /** The contexts in {@code env}'s file; none if there is no file. */
  public static Contexts load(Map<String, String> env) {
    Path file = path(env);
    if (!Files.exists(file)) {
      return new Contexts(null, List.of());
    }
    try {
      return Codec.YAML.decode(Files.readAllBytes(file), Contexts.class);
    } catch (IOException | ValidationException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "cannot read the contexts file " + file + ": " + e.getMessage() + " (fix or remove it)");
    }
  }

  /** Writes them to {@code env}'s file, atomically and durably (owner-only). */
  public void save(Map<String, String> env) {
    Path file = path(env);
    try {
      Files.createDirectories(file.getParent());
      DurableFiles.write(file, Codec.YAML.encode(this).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.FAILURE, "cannot write the contexts file " + file + ": " + e.getMessage());
    }
  }

  static boolean sameUrl(String a, String b) {
    return a != null && b != null && strip(a).equals(strip(b));
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

package io.strata.cli.commands;

import io.strata.cli.client.StrataClient;
import io.strata.cli.client.Target;
import io.strata.cli.output.Format;
import io.strata.cli.output.Printer;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every command that talks to the allocator shares. */
public final class ClientOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"--url", "--allocator"},
      paramLabel = "URL",
      description =
          "The allocator's URL, or an HA cluster's: URL,URL,... or zk://HOST:2181,.../ROOT"
              + " (env STRATA_URL or STRATA_ALLOCATOR; default: the current context, see strata"
              + " context).")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "A principal's token (env STRATA_TOKEN).")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the token from FILE (env STRATA_TOKEN_FILE).")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description =
          "The cluster CA certificate (PEM) to trust for an https allocator (env STRATA_CA_FILE).")
  Path caFile;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Config file with url and token (env STRATA_CONFIG; default ~/.config/strata/config.yaml).")
  Path config;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: table, json or yaml (default: ${DEFAULT-VALUE}).")
  Format format;

  private StrataClient client;

  public StrataClient client() {
    if (client == null) {
      client = new StrataClient(target());
    }
    return client;
  }

  /** Which allocator these options and the environment point at (see {@link Target}). */
  public Target target() {
    return Target.resolve(url, token, tokenFile, config, caFile, Environment.get());
  }

  public Printer printer() {
    return new Printer(format, spec.commandLine().getOut());
  }

  public java.io.PrintWriter err() {
    return spec.commandLine().getErr();
  }
}

package io.strata.cli.commands;

import io.strata.cli.client.Contexts;
import io.strata.cli.client.Target;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Format;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "context",
    description = {
      "The clusters this CLI knows and which one commands talk to (as kubectl's contexts).",
      "strata up adds its cluster and makes it current. Which cluster a command talks to: --url"
          + " (and --token...), then STRATA_URL / STRATA_TOKEN / STRATA_CONFIG / STRATA_DATA_DIR,"
          + " then the current context, then ~/.config/strata/config.yaml, then ~/.strata, then"
          + " http://127.0.0.1:5050. A URL given alone takes the token of the context with that"
          + " URL."
    },
    subcommands = {
      ContextCommand.ListContexts.class,
      ContextCommand.Use.class,
      ContextCommand.Show.class,
      ContextCommand.Delete.class
    },
    footer = {
      "%nExamples:",
      "  strata context                 # list them; * marks the current one",
      "  strata context use local-5350",
      "  strata context show            # where the next command goes, and why"
    })
public final class ContextCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: table, json or yaml (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    return list(new Printer(format, spec.commandLine().getOut()));
  }

  static int list(Printer p) {
    Contexts contexts = Contexts.load(Environment.get());
    if (!p.structured(contexts)) {
      Table t = new Table("CURRENT", "NAME", "URL", "TOKEN FILE", "DATA DIR", "DNS");
      for (Contexts.Context c : contexts.contexts()) {
        t.row(
            c.name().equals(contexts.current()) ? "*" : "",
            c.name(),
            c.url(),
            c.tokenFile(),
            c.dataDir(),
            c.dns());
      }
      t.print(p.out());
      p.out().flush();
    }
    return ExitCodes.OK;
  }

  @Command(name = "list", description = "List the contexts; * marks the current one.")
  static final class ListContexts implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "Output format: table, json or yaml (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
      return list(new Printer(format, spec.commandLine().getOut()));
    }
  }

  @Command(name = "use", description = "Make a context current.")
  static final class Use implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The context's name (see strata context).")
    String name;

    @Override
    public Integer call() {
      Contexts.load(Environment.get()).use(name).save(Environment.get());
      spec.commandLine().getOut().println("current context: " + name);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "delete", description = "Forget a context (the cluster itself is untouched).")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The context's name.")
    String name;

    @Override
    public Integer call() {
      Contexts.load(Environment.get()).without(name).save(Environment.get());
      spec.commandLine().getOut().println("context " + name + " deleted");
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "show",
      description =
          "Where the next command goes with these flags and this environment, and why (no"
              + " request is made).")
  static final class Show implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Override
    public Integer call() {
      Target t = options.target();
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("url", t.address().toString());
      shown.put("from", t.source());
      shown.put("token", t.token() == null ? "none" : "set");
      if (t.caFile() != null) {
        shown.put("caFile", t.caFile().toString());
      }
      shown.put("contextsFile", Contexts.path(Environment.get()).toString());
      Printer p = options.printer();
      if (!p.structured(shown)) {
        shown.forEach((k, v) -> p.out().println(k + ": " + v));
        p.out().flush();
      }
      return ExitCodes.OK;
    }
  }
}

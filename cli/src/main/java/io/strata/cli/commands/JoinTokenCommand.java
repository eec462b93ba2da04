package io.strata.cli.commands;

import io.strata.api.json.ValidationException;
import io.strata.api.operator.JoinToken;
import io.strata.api.operator.JoinTokenRequest;
import io.strata.api.operator.JoinTokenView;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.Printer;
import io.strata.cli.output.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata join-token create|list|revoke}: the join tokens new agents register with. */
@Command(
    name = "join-token",
    description = {
      "Manage the join tokens new agents register with (like kubeadm token): create one that"
          + " expires, list them, revoke one. Agents that joined keep their own credentials."
    },
    subcommands = {
      JoinTokenCommand.Create.class,
      JoinTokenCommand.ListTokens.class,
      JoinTokenCommand.Revoke.class
    },
    footer = {
      "%nExamples:",
      "  strata join-token create --ttl 2h --description 'scale pool gpu'",
      "  strata join-token list",
      "  strata join-token revoke k3j9x0q2ab",
      "  strata join-token revoke bootstrap      # the token the allocator was configured with"
    })
public final class JoinTokenCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      description = "Create a join token; prints it (once: the allocator keeps only its hash).")
  public static final class Create implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "24h",
        description = "How long it is accepted (60s to 30d; default ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--description", paramLabel = "TEXT", description = "What it is for.")
    String description;

    @Override
    public Integer call() {
      JoinTokenRequest request;
      try {
        request = new JoinTokenRequest(duration("--ttl", ttl).toSeconds(), description);
      } catch (ValidationException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      JoinToken token = options.client().operator().issueJoinToken(request);
      Printer p = options.printer();
      if (p.structured(token)) {
        return ExitCodes.OK;
      }
      p.out().println(token.token());
      options.err().println("join token " + token.id() + ", accepted until " + token.expiresAt());
      options.err().flush();
      p.out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", description = "List the join tokens (never the tokens themselves).")
  public static final class ListTokens implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Override
    public Integer call() {
      List<JoinTokenView> tokens = options.client().operator().joinTokens();
      Printer p = options.printer();
      if (p.structured(tokens)) {
        return ExitCodes.OK;
      }
      Table t = new Table("ID", "STATE", "EXPIRES", "CREATED", "DESCRIPTION");
      for (JoinTokenView v : tokens) {
        t.row(
            v.id(),
            v.state(),
            v.expiresAt() == null ? "never" : v.expiresAt(),
            v.createdAt(),
            v.description());
      }
      t.print(p.out());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke a join token: new agents can no longer register with it.")
  public static final class Revoke implements Callable<Integer> {
    @Mixin ClientOptions options;

    @Parameters(
        paramLabel = "ID",
        description = "The token's id (see list); bootstrap: the configured one.")
    String id;

    @Override
    public Integer call() {
      JoinTokenView v = options.client().operator().revokeJoinToken(id);
      Printer p = options.printer();
      if (!p.structured(v)) {
        p.out().println(v.id() + ": " + v.state());
        p.out().flush();
      }
      return ExitCodes.OK;
    }
  }

  static java.time.Duration duration(String flag, String text) {
    try {
      return DrainCommand.parse(text);
    } catch (CliException e) {
      throw new CliException(
          ExitCodes.USAGE, flag + ": '" + text + "' is not a duration like 30s, 10m, 2h or 1d");
    }
  }
}

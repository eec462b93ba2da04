package io.strata.cli;

import io.strata.cli.commands.AgentCommand;
import io.strata.cli.commands.Environment;
import io.strata.cli.output.ExitCodes;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;

/** {@code strata}: the command line. Exit codes are listed in {@link ExitCodes}. */
public final class Main {
  /** Commands that run a daemon: they log at INFO; the others stay quiet. */
  private static final Set<String> DAEMONS = Set.of("allocator", "agent", "frameworks");

  private Main() {}

  public static void main(String[] args) {
    configureLogging(args);
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns its exit code (for tests: no System.exit). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = args.length > 0 && args[0].equals("agent") ? agentOnly() : commandLine();
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new StrataCommand());
    AutoComplete.GenerateCompletion completion = new AutoComplete.GenerateCompletion();
    CommandLine completionCommand = new CommandLine(completion);
    completionCommand
        .getCommandSpec()
        .usageMessage()
        .description("Print a bash/zsh completion script: source <(strata completion)");
    completionCommand.getCommandSpec().usageMessage().hidden(false);
    cl.addSubcommand("completion", completionCommand);
    ProvisionMount.mount(cl);
    return configured(cl);
  }

  /**
   * {@code strata agent} alone: bin/strata runs it on the Linux agent's own classpath (for {@code
   * strata agent --help}; the agent itself starts from {@code LinuxAgentMain}), where the other
   * commands' classes are not, and loading them would only cost resident memory.
   */
  static CommandLine agentOnly() {
    CommandLine cl = new CommandLine(CommandLine.Model.CommandSpec.create().name("strata"));
    cl.addSubcommand("agent", new CommandLine(new AgentCommand()));
    return configured(cl);
  }

  private static CommandLine configured(CommandLine cl) {
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    helpEverywhere(cl);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> ExitCodes.report(e, commandLine.getErr()));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine c = e.getCommandLine();
          c.getErr().println(io.strata.api.client.ErrorLine.of(e.getMessage()));
          c.getErr().println("  see: " + c.getCommandSpec().qualifiedName() + " --help");
          c.getErr().flush();
          return ExitCodes.USAGE;
        });
    return cl;
  }

  /** Every subcommand takes --help (and --version). */
  private static void helpEverywhere(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!sub.getCommandSpec().mixinStandardHelpOptions()) {
        sub.getCommandSpec().mixinStandardHelpOptions(true);
      }
      helpEverywhere(sub);
    }
  }

  /** Replaces the environment the commands read (tests). */
  static void setEnv(Map<String, String> replacement) {
    Environment.replace(replacement);
  }

  private static void configureLogging(String[] args) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    boolean daemon = args.length > 0 && DAEMONS.contains(args[0]);
    System.setProperty(
        "logback.configurationFile",
        daemon ? "strata-allocator-logback.xml" : "strata-cli-logback.xml");
  }
}

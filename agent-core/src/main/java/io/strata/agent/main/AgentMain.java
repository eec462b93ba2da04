package io.strata.agent.main;

import io.strata.api.TaskInfo;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * What every agent's entry point does the same way: its mistakes said one per line with the file
 * and field path, never a stack trace; a dry run's task read; the agent run from a console until
 * the allocator shuts it down. The platforms' mains ({@code LinuxAgentMain}, {@code
 * WindowsAgentMain}) add only their own flags, sections and native set-up. Exit codes: {@link
 * #DONE}, {@link #CANNOT_RUN}, {@link #BAD_INPUT}.
 */
public final class AgentMain {
  /** Done: the allocator's Shutdown, a service stop, {@code --check}, {@code --dry-run}. */
  public static final int DONE = 0;

  /** The agent cannot run (an engine required and absent, a failed start). */
  public static final int CANNOT_RUN = 1;

  /** Bad config or arguments. */
  public static final int BAD_INPUT = 2;

  private AgentMain() {}

  /** One line per log record, with its time, level and logger (JUL), unless already chosen. */
  public static void useOneLineLogs() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
  }

  /** {@code file: field: message}, one per violation. */
  public static List<String> lines(Path file, ValidationException e) {
    return e.violations().stream().map(v -> line(file, v)).toList();
  }

  private static String line(Path file, Violation v) {
    return file + ": " + (v.field().isEmpty() ? "" : v.field() + ": ") + v.message();
  }

  /** A failure as a user reads it: its message, "no such file" for a missing one. */
  public static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  /** The task of a dry run (TaskInfo; JSON, or YAML unless the file ends in .json). */
  public static TaskInfo readTask(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    return (file.toString().endsWith(".json") ? Codec.JSON : Codec.YAML)
        .decode(bytes, TaskInfo.class);
  }

  /**
   * Runs the agent until the allocator shuts it down ({@link #DONE}) or it fails ({@link
   * #CANNOT_RUN}, said on {@code err}). Stopping the JVM (SIGTERM, Ctrl+C) closes the agent and
   * leaves its tasks running, for the next agent to re-attach to.
   */
  public static int runInConsole(AgentRun run, PrintStream err) {
    Runtime.getRuntime().addShutdownHook(new Thread(run::stop, "strata-agent-stop"));
    try {
      run.start();
      int code = run.ended().toCompletableFuture().get();
      run.stop();
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CANNOT_RUN;
    } catch (ExecutionException e) {
      err.println("the agent stopped: " + e.getCause().getMessage());
      return CANNOT_RUN;
    } catch (Exception e) {
      err.println("the agent cannot run: " + describe(e));
      return CANNOT_RUN;
    }
  }
}

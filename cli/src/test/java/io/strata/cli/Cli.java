package io.strata.cli;

import io.strata.cli.commands.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/** Runs {@code strata} in the test's JVM and captures its exit code and output. */
public final class Cli {
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private Cli() {}

  public static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> previous = Environment.get();
    Main.setEnv(new HashMap<>(env));
    try {
      int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
      return new Result(code, out.toString(), err.toString());
    } finally {
      Main.setEnv(previous);
    }
  }
}

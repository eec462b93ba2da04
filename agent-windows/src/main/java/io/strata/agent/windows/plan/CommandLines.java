package io.strata.agent.windows.plan;

import io.strata.api.CommandInfo;
import java.util.List;

/**
 * Turns a task's command into the single command line CreateProcessW takes. Windows passes one
 * string; each program splits it again, nearly always with the Microsoft C runtime's rules
 * (CommandLineToArgvW). We quote each argument so those rules give back exactly our argv.
 */
public final class CommandLines {
  private CommandLines() {}

  /**
   * The command line for {@code command}: {@code argv} quoted argument by argument; {@code shell}
   * run by {@code cmd.exe /d /s /c "<line>"} (/d: no AutoRun from the registry; /s: cmd strips
   * exactly the outer quotes and runs the rest verbatim).
   */
  public static String of(CommandInfo command) {
    if (command.isShell()) {
      return "cmd.exe /d /s /c \"" + command.shell() + "\"";
    }
    return join(command.argv());
  }

  /** Quotes and joins {@code argv} so that CommandLineToArgvW returns {@code argv} again. */
  public static String join(List<String> argv) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < argv.size(); i++) {
      if (i > 0) {
        out.append(' ');
      }
      quote(argv.get(i), out);
    }
    return out.toString();
  }

  static void quote(String arg, StringBuilder out) {
    boolean needsQuotes =
        arg.isEmpty() || arg.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '"');
    if (!needsQuotes) {
      out.append(arg);
      return;
    }
    out.append('"');
    int backslashes = 0;
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c == '\\') {
        backslashes++;
        continue;
      }
      if (c == '"') {
        // Backslashes before a quote are escapes: double them, then escape the quote itself.
        out.append("\\".repeat(backslashes * 2 + 1)).append('"');
      } else {
        out.append("\\".repeat(backslashes)).append(c);
      }
      backslashes = 0;
    }
    // Backslashes before the closing quote would escape it: double them.
    out.append("\\".repeat(backslashes * 2)).append('"');
  }

  /**
   * Splits a command line as CommandLineToArgvW / the Microsoft C runtime (2008+) do: the inverse
   * of {@link #join}, used to check the quoting and to show a dry run the way Windows reads it.
   */
  public static List<String> split(String commandLine) {
    java.util.ArrayList<String> args = new java.util.ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inQuotes = false;
    boolean hasArg = false;
    int i = 0;
    int n = commandLine.length();
    while (i < n) {
      char c = commandLine.charAt(i);
      if (c == '\\') {
        int start = i;
        while (i < n && commandLine.charAt(i) == '\\') {
          i++;
        }
        int count = i - start;
        if (i < n && commandLine.charAt(i) == '"') {
          current.append("\\".repeat(count / 2));
          if (count % 2 == 1) {
            current.append('"');
            i++;
          }
        } else {
          current.append("\\".repeat(count));
        }
        hasArg = true;
        continue;
      }
      if (c == '"') {
        if (inQuotes && i + 1 < n && commandLine.charAt(i + 1) == '"') {
          current.append('"');
          i += 2;
          continue;
        }
        inQuotes = !inQuotes;
        hasArg = true;
        i++;
        continue;
      }
      if ((c == ' ' || c == '\t') && !inQuotes) {
        if (hasArg) {
          args.add(current.toString());
          current.setLength(0);
          hasArg = false;
        }
        i++;
        continue;
      }
      current.append(c);
      hasArg = true;
      i++;
    }
    if (hasArg) {
      args.add(current.toString());
    }
    return List.copyOf(args);
  }
}

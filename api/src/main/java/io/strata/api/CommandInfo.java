package io.strata.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.api.json.Checks;
import java.util.List;

/**
 * What to run: either {@code shell}, a command line for {@code /bin/sh -c} (Windows: {@code cmd.exe
 * /c}), or {@code argv}, an executable and its arguments run directly. Exactly one is set.
 */
public record CommandInfo(String shell, List<String> argv) {
  public CommandInfo {
    Checks c = new Checks();
    boolean hasShell = shell != null && !shell.isBlank();
    boolean hasArgv = argv != null && !argv.isEmpty();
    c.require(hasShell || hasArgv, "", "set either shell (a command line) or argv (a list)");
    c.require(!(hasShell && hasArgv), "", "set shell or argv, not both");
    c.noNullElements("argv", argv);
    if (hasArgv && argv.get(0) != null) {
      c.require(!argv.get(0).isBlank(), "argv[0]", "the executable must not be blank");
    }
    argv = argv == null ? List.of() : List.copyOf(argv.stream().filter(a -> a != null).toList());
    c.done();
  }

  public static CommandInfo shell(String commandLine) {
    return new CommandInfo(commandLine, null);
  }

  public static CommandInfo argv(String... argv) {
    return new CommandInfo(null, List.of(argv));
  }

  /** Not a JSON property: Jackson would otherwise write it as {@code shell} over the command. */
  @JsonIgnore
  public boolean isShell() {
    return shell != null && !shell.isBlank();
  }
}

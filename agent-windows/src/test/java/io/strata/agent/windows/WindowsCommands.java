package io.strata.agent.windows;

import io.strata.api.CommandInfo;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Commands for real tasks on Windows: cmd.exe built-ins, ping and small JVMs running Sleeper. */
final class WindowsCommands {
  private WindowsCommands() {}

  static CommandInfo sleeper(boolean ignoreCtrlBreak, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java.exe").toString());
    if (!ignoreCtrlBreak) {
      argv.add("-Xrs"); // no JVM console handler: CTRL_BREAK ends the process
    }
    argv.addAll(
        List.of(
            // Small: a task and a command exec'd in it share the job's 64 MiB in the contract.
            // No class-data sharing (its mapping is charged to the job's commit), no perf data.
            "-Xshare:off",
            "-XX:-UsePerfData",
            "-Xms2m",
            "-Xmx24m",
            "-Xss256k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=16m",
            "-cp",
            testClasses(),
            Sleeper.class.getName()));
    argv.addAll(List.of(args));
    return new CommandInfo(null, argv);
  }

  static CommandInfo hog() {
    CommandInfo small = sleeper(false, "hog");
    List<String> argv = new ArrayList<>(small.argv());
    argv.replaceAll(a -> a.equals("-Xmx24m") ? "-Xmx1g" : a);
    return new CommandInfo(null, argv);
  }

  /** ping prints statistics on CTRL_BREAK and goes on: a program that ignores the polite stop. */
  static CommandInfo stubbornPing() {
    return CommandInfo.argv("ping.exe", "-n", "100000", "127.0.0.1");
  }

  static String testClasses() {
    try {
      return Path.of(Sleeper.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

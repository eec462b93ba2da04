package io.strata.agent.windows.exec;

import io.strata.agent.windows.plan.CommandLines;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The command line that starts a {@link JobHolder}: this JVM's java.exe running {@link HolderMain}.
 */
public final class HolderCommand {
  private HolderCommand() {}

  public static String ofThisJvm() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java.exe");
    Path classes;
    try {
      classes =
          Path.of(HolderMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the agent's classes", e);
    }
    return CommandLines.join(
        List.of(
            java.toString(),
            "-Xrs",
            "-Xms2m",
            "-Xmx8m",
            "-Xss256k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classes.toString(),
            HolderMain.class.getName()));
  }
}

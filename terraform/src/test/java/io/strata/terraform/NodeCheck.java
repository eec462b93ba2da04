package io.strata.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the Node.js side of the checks ({@code terraform/check}): finds node (20 or newer) and npm,
 * installs the pinned packages with {@code npm ci} once per test JVM, and runs commands in the
 * check's directory. A missing or too old Node.js fails the build with a message that says what to
 * install: the checks are part of {@code mvn verify}, never skipped.
 */
final class NodeCheck {
  static final Path TERRAFORM_DIR =
      Path.of(System.getProperty("strata.terraform.dir", ".")).toAbsolutePath().normalize();
  static final Path CHECK_DIR = TERRAFORM_DIR.resolve("check");
  static final Path WORK_DIR =
      Path.of(System.getProperty("strata.terraform.work", "target")).toAbsolutePath();

  // A guard against a hung process, not a speed expectation.
  private static final long HANG_GUARD_MINUTES = 10;
  private static boolean installed;

  private NodeCheck() {}

  /** The exit code and the combined output of a finished command. */
  record Run(int exitCode, String output) {}

  /** node and npm are there (node 20+) and the check's packages are installed. */
  static synchronized void ensureInstalled() {
    if (installed) {
      return;
    }
    Run version = start(List.of("node", "--version"), "node");
    Matcher m = Pattern.compile("v(\\d+)\\.").matcher(version.output());
    if (version.exitCode() != 0 || !m.find() || Integer.parseInt(m.group(1)) < 20) {
      fail(
          "The Terraform checks need Node.js 20 or newer (found: "
              + version.output().strip()
              + "). Install Node.js 20+ and npm.");
    }
    Run npm = start(List.of("npm", "--version"), "npm");
    if (npm.exitCode() != 0) {
      fail("The Terraform checks need npm (installed with Node.js 20+).");
    }
    Run ci = run("npm", "ci", "--no-audit", "--no-fund");
    assertThat(ci.exitCode()).as("npm ci in %s failed:%n%s", CHECK_DIR, ci.output()).isZero();
    installed = true;
  }

  /** Runs a command in the check's directory. */
  static Run run(String... command) {
    return start(List.of(command), command[0]);
  }

  private static Run start(List<String> command, String tool) {
    try {
      Path log = Files.createTempFile("strata-terraform-check", ".log");
      try {
        Process process =
            new ProcessBuilder(new ArrayList<>(command))
                .directory(CHECK_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(HANG_GUARD_MINUTES, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          fail(String.join(" ", command) + " did not finish in " + HANG_GUARD_MINUTES + " minutes");
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError(
          "Cannot run "
              + tool
              + ": the Terraform checks need Node.js 20 or newer and npm on the PATH ("
              + e.getMessage()
              + ")",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }
}

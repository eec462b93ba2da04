package io.strata.provisioner.command;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The required {@code -f FILE} of the provision subcommands that act on a cluster spec. */
final class SpecFile {
  @Option(
      names = {"-f", "--file"},
      required = true,
      description = "The cluster spec (YAML).")
  Path file;
}

package io.strata.cli;

import io.strata.cli.client.Contexts;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.host.DurableFiles;
import io.strata.provisioner.command.ClusterContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CLI's contexts as the provisioner's {@link ClusterContexts}: after {@code strata provision
 * apply} the cluster becomes the current context (named as the cluster), its operator token and CA
 * kept owner-only in {@code clusters/<name>/} beside {@code contexts.yaml}; {@code destroy} removes
 * both.
 */
final class ProvisionContexts implements ClusterContexts {
  private final Map<String, String> env;

  ProvisionContexts(Map<String, String> env) {
    this.env = env;
  }

  private Path dir(String name) {
    return Contexts.path(env).resolveSibling("clusters").resolve(name);
  }

  @Override
  public List<String> added(NewCluster cluster) {
    Path dir = dir(cluster.name());
    Path tokenFile = null;
    Path caFile = null;
    try {
      Files.createDirectories(dir);
      if (cluster.operatorToken() != null) {
        tokenFile = ownerOnly(dir.resolve("operator-token"), cluster.operatorToken());
      }
      if (cluster.caPem() != null) {
        caFile = ownerOnly(dir.resolve("ca.pem"), cluster.caPem());
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot write " + dir + ": " + e.getMessage());
    }
    Contexts.load(env)
        .withCurrent(
            new Contexts.Context(
                cluster.name(),
                cluster.url(),
                tokenFile == null ? null : tokenFile.toString(),
                caFile == null ? null : caFile.toString(),
                null))
        .save(env);
    return List.of(
        "context: "
            + cluster.name()
            + "  (now current: strata apps, ps, nodes... talk to this cluster; see strata context)",
        "token:   " + (tokenFile == null ? "none" : tokenFile + "  (the CLI finds it by itself)"));
  }

  @Override
  public List<String> removed(String name) {
    Contexts contexts = Contexts.load(env);
    if (contexts.find(name).isEmpty()) {
      return List.of();
    }
    contexts.without(name).save(env);
    Path dir = dir(name);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        return List.of("context " + name + " removed; could not delete " + dir + ": " + e);
      }
    }
    return List.of("context " + name + " removed");
  }

  private static Path ownerOnly(Path file, String content) throws IOException {
    DurableFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}

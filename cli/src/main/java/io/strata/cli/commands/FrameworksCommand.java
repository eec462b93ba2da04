package io.strata.cli.commands;

import io.strata.cli.client.StrataClient;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.workloads.Workloads;
import io.strata.workloads.http.WorkloadsApi;
import io.strata.workloads.http.WorkloadsHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "frameworks",
    description = {
      "Run the built-in services and jobs frameworks as their own process, subscribed to the"
          + " allocator at --url like any third-party framework (use with strata allocator"
          + " --no-frameworks). Their API is served on --listen with the same token.",
      "Point the CLI's app and job commands at it with --url or STRATA_URL."
    },
    footer = {
      "%nExamples:",
      "  strata frameworks --url http://10.0.0.2:5050 --token-file admin.token --listen 127.0.0.1:5060 --state-dir /var/lib/strata-frameworks"
    })
public final class FrameworksCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:5060",
      description = "Where the frameworks' API listens (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      required = true,
      description = "Where the frameworks keep their ids, to resume after a restart.")
  Path stateDir;

  @Override
  public Integer call() throws IOException {
    var target = options.client().target();
    if (target.token() == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "the frameworks need a principal's token (--token, --token-file or STRATA_TOKEN)");
    }
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new CliException(
          ExitCodes.USAGE, "--listen: expected HOST:PORT (was '" + listen + "')");
    }
    if (target.caFile() != null) {
      // The frameworks' clients take the process's default TLS context; this process talks to
      // the allocator only.
      javax.net.ssl.SSLContext.setDefault(StrataClient.trust(target));
    }
    Workloads workloads =
        Workloads.start(Workloads.Config.of(target.address(), target.token(), stateDir));
    WorkloadsHttpServer server =
        new WorkloadsHttpServer(
            new WorkloadsApi(workloads),
            new InetSocketAddress(
                listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
            Set.of(target.token()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  workloads.close();
                  stopped.countDown();
                },
                "frameworks-shutdown"));
    System.out.println(
        "strata frameworks: subscribed to " + target.address() + ", API on http://" + listen);
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }
}

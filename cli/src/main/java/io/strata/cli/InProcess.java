package io.strata.cli;

import io.strata.allocator.authz.Action;
import io.strata.allocator.server.AllocatorConfig;
import io.strata.allocator.server.AllocatorConfig.Principal;
import io.strata.allocator.server.AllocatorServer;
import io.strata.allocator.server.auth.Credentials;
import io.strata.api.client.ClusterTrust;
import io.strata.workloads.Workloads;
import io.strata.workloads.http.WorkloadsApi;
import io.strata.workloads.jobs.JobsFramework;
import io.strata.workloads.services.ServicesFramework;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * An allocator with the built-in frameworks in its process: the frameworks subscribe to it over
 * loopback as their own principal ({@code strata-frameworks}, roles services and jobs), and their
 * API is served on its port, authorized per principal ({@link WorkloadsExtension#permissions}).
 */
public final class InProcess implements AutoCloseable {
  private final AllocatorServer server;
  private final Workloads workloads;

  private InProcess(AllocatorServer server, Workloads workloads) {
    this.server = server;
    this.workloads = workloads;
  }

  public static InProcess start(AllocatorConfig config, boolean frameworks) {
    WorkloadsExtension extension =
        new WorkloadsExtension(ServicesFramework.DEFAULT_ROLE, JobsFramework.DEFAULT_ROLE);
    AllocatorServer server =
        AllocatorServer.start(
            config, Clock.systemUTC(), frameworks ? List.of(extension) : List.of());
    if (!frameworks) {
      return new InProcess(server, null);
    }
    // The frameworks' own principal (generated like the admin's token, or configured by name),
    // never the admin: a framework holds only what it needs.
    Principal principal = server.credentials().byName(Credentials.FRAMEWORKS).orElseThrow();
    for (String role : List.of(ServicesFramework.DEFAULT_ROLE, JobsFramework.DEFAULT_ROLE)) {
      if (!server
          .authorizer()
          .decide(principal.name(), Action.REGISTER_FRAMEWORKS, role)
          .allowed()) {
        server.close();
        throw new CliException(
            ExitCodes.USAGE,
            "the built-in frameworks' principal "
                + principal.name()
                + " may not register frameworks in role "
                + role
                + " (give it roles: [services, jobs]); or pass --no-frameworks");
      }
    }
    boolean wildcard = config.host().equals("0.0.0.0") || config.host().equals("::");
    URI loopback =
        wildcard
            ? URI.create(server.uri().getScheme() + "://127.0.0.1:" + server.port())
            : server.uri();
    if (config.tls() && config.caFile() != null) {
      // The frameworks' clients take the process's default TLS context: make it trust the cluster
      // CA, which issued this allocator's certificate (this process calls no other TLS server).
      try {
        SSLContext.setDefault(ClusterTrust.read(Path.of(config.caFile())).context());
      } catch (IOException e) {
        server.close();
        throw new UncheckedIOException("cannot read the cluster CA " + config.caFile(), e);
      }
    }
    Workloads workloads =
        Workloads.start(
            Workloads.Config.of(loopback, principal.token(), frameworkStateDir(config)));
    extension.attach(new WorkloadsApi(workloads));
    return new InProcess(server, workloads);
  }

  public static Path frameworkStateDir(AllocatorConfig config) {
    return config.dataPath().resolve("frameworks");
  }

  public AllocatorServer server() {
    return server;
  }

  public Workloads workloads() {
    return workloads;
  }

  @Override
  public void close() {
    if (workloads != null) {
      workloads.close();
    }
    server.close();
  }
}

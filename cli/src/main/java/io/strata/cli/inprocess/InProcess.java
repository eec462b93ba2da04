package io.strata.cli.inprocess;

import io.strata.allocator.authz.Action;
import io.strata.allocator.server.AllocatorServer;
import io.strata.allocator.server.LeaderDuties;
import io.strata.allocator.server.auth.Credentials;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import io.strata.api.client.ClusterTrust;
import io.strata.api.operator.FrameworkView;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
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
  private final BuiltInFrameworks frameworks;

  private InProcess(AllocatorServer server, BuiltInFrameworks frameworks) {
    this.server = server;
    this.frameworks = frameworks;
  }

  public static InProcess start(AllocatorConfig config, boolean frameworks) {
    if (!frameworks) {
      return new InProcess(AllocatorServer.start(config), null);
    }
    if (config.tls() && config.caFile() != null) {
      // The frameworks' clients take the process's default TLS context: make it trust the cluster
      // CA, which issued this allocator's certificate (this process calls no other TLS server).
      try {
        SSLContext.setDefault(ClusterTrust.read(Path.of(config.caFile())).context());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the cluster CA " + config.caFile(), e);
      }
    }
    WorkloadsExtension extension =
        new WorkloadsExtension(ServicesFramework.DEFAULT_ROLE, JobsFramework.DEFAULT_ROLE);
    BuiltInFrameworks duties = new BuiltInFrameworks(config, extension);
    // The frameworks run only while this allocator leads (always, without ZooKeeper).
    AllocatorServer server =
        AllocatorServer.start(config, Clock.systemUTC(), List.of(extension), duties);
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
    return new InProcess(server, duties);
  }

  /**
   * The built-in frameworks as the leader's duty: started when this allocator leads, subscribing
   * over loopback as their own principal; stopped when it stops leading.
   */
  private static final class BuiltInFrameworks implements LeaderDuties {
    private final AllocatorConfig config;
    private final WorkloadsExtension extension;
    private Workloads workloads;

    BuiltInFrameworks(AllocatorConfig config, WorkloadsExtension extension) {
      this.config = config;
      this.extension = extension;
    }

    @Override
    public synchronized void lead(AllocatorServer server) {
      Principal principal = server.credentials().byName(Credentials.FRAMEWORKS).orElseThrow();
      boolean wildcard = config.host().equals("0.0.0.0") || config.host().equals("::");
      URI loopback =
          wildcard
              ? URI.create(server.uri().getScheme() + "://127.0.0.1:" + server.port())
              : server.uri();
      // Fail over as the frameworks the state holds (another allocator may have run them).
      for (String name : List.of(ServicesFramework.NAME, JobsFramework.NAME)) {
        server.frameworks().stream()
            .filter(f -> principal.name().equals(f.principal()) && name.equals(f.info().name()))
            .max(
                java.util.Comparator.comparing(
                    FrameworkView::registeredAt,
                    java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())))
            .ifPresent(f -> Workloads.adopt(frameworkStateDir(config), name, f.id()));
      }
      workloads =
          Workloads.start(
              Workloads.Config.of(loopback, principal.token(), frameworkStateDir(config)));
      extension.attach(new WorkloadsApi(workloads));
    }

    @Override
    public synchronized void stopLeading() {
      extension.attach(null);
      if (workloads != null) {
        workloads.close();
        workloads = null;
      }
    }

    synchronized Workloads workloads() {
      return workloads;
    }
  }

  public static Path frameworkStateDir(AllocatorConfig config) {
    return config.dataPath().resolve("frameworks");
  }

  public AllocatorServer server() {
    return server;
  }

  /** The built-in frameworks while this allocator leads; null otherwise or without them. */
  public Workloads workloads() {
    return frameworks == null ? null : frameworks.workloads();
  }

  @Override
  public void close() {
    server.close(); // stops the frameworks first (LeaderDuties.stopLeading)
  }
}

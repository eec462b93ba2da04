package io.strata.provisioner.command;

import io.strata.api.client.ErrorLine;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.Applier;
import io.strata.provisioner.apply.ApplyEvent;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.apply.ApplyResult;
import io.strata.provisioner.apply.EventSink;
import io.strata.provisioner.apply.JsonEventSink;
import io.strata.provisioner.apply.NodeResult;
import io.strata.provisioner.apply.PreflightException;
import io.strata.provisioner.apply.ProgressSink;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.Step;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import io.strata.provisioner.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code strata provision plan|apply|scale|destroy|status}. Mount it under the {@code strata}
 * command, or run it alone ({@link #main}). Exit codes: 0 done, 1 some nodes failed (the others are
 * usable), 2 the spec or the cloud refused the plan before anything was created.
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = "Create, change and destroy clusters on Azure, OpenStack or this machine.",
    subcommands = {
      ProvisionCommand.PlanCommand.class,
      ProvisionCommand.ApplyCommand.class,
      ProvisionCommand.ScaleCommand.class,
      ProvisionCommand.DestroyCommand.class,
      ProvisionCommand.StatusCommand.class
    })
public final class ProvisionCommand {
  final ProviderFactory providers;
  final AgentRoster.Source rosters;
  final Secrets secrets;
  final ApplyOptions options;
  final CloudGate.RateLimit rateLimit;
  PrintStream out = System.out;
  PrintStream err = System.err;

  @Option(
      names = "--state-dir",
      description = "Where state files live (default: ~/.strata/clusters).",
      scope = CommandLine.ScopeType.INHERIT)
  Path stateDir;

  @Option(
      names = "--output",
      description = "text or json (Terraform-style event stream).",
      defaultValue = "text",
      scope = CommandLine.ScopeType.INHERIT)
  String output;

  @Option(
      names = "--parallelism",
      description = "Most requests in flight to the cloud at once (default ${DEFAULT-VALUE}).",
      defaultValue = "10",
      scope = CommandLine.ScopeType.INHERIT)
  int parallelism;

  public ProvisionCommand(
      ProviderFactory providers,
      BiFunction<String, String, AgentRoster> rosters,
      Secrets secrets,
      ApplyOptions options,
      CloudGate.RateLimit rateLimit) {
    this(
        providers,
        (AgentRoster.Source) (url, token, caPem) -> rosters.apply(url, token),
        secrets,
        options,
        rateLimit);
  }

  public ProvisionCommand(
      ProviderFactory providers,
      AgentRoster.Source rosters,
      Secrets secrets,
      ApplyOptions options,
      CloudGate.RateLimit rateLimit) {
    this.providers = providers;
    this.rosters = rosters;
    this.secrets = secrets;
    this.options = options;
    this.rateLimit = rateLimit;
  }

  /** The command for real clouds: agents are asked for at the allocator's operator API. */
  public static ProvisionCommand standard(ProviderFactory local) {
    return new ProvisionCommand(
        ProviderFactory.standard(local),
        AgentRoster.operatorApi(),
        Secrets.fromSystem(),
        ApplyOptions.defaults(),
        null);
  }

  public static void main(String[] args) {
    ProviderFactory noLocal =
        (spec, gate, s) -> {
          throw new ValidationException(
              "cloud", "the local cloud is provided by the strata command (strata provision)");
        };
    System.exit(new CommandLine(standard(noLocal)).execute(args));
  }

  public ProvisionCommand withStreams(PrintStream newOut, PrintStream newErr) {
    this.out = newOut;
    this.err = newErr;
    return this;
  }

  StateStore store() {
    Path dir =
        stateDir != null
            ? stateDir
            : Path.of(System.getProperty("user.home"), ".strata", "clusters");
    return new StateStore(dir);
  }

  boolean json() {
    return "json".equalsIgnoreCase(output);
  }

  ClusterSpec read(Path file) {
    try {
      return ClusterSpec.parse(Files.readString(file));
    } catch (IOException e) {
      throw new ValidationException("", "cannot read " + file + ": " + e.getMessage());
    }
  }

  CloudGate gate(ClusterSpec spec) {
    CloudGate.RateLimit limit =
        rateLimit != null
            ? rateLimit
            : switch (spec.cloud()) {
              case AZURE -> CloudGate.RateLimit.ARM;
              case OPENSTACK -> CloudGate.RateLimit.OPENSTACK;
              case LOCAL -> CloudGate.RateLimit.UNLIMITED;
            };
    return CloudGate.standard(parallelism, limit, System.nanoTime());
  }

  /** Runs {@code body} with the spec's provider, turning refusals into messages and exit code 2. */
  int withProvider(ClusterSpec spec, EventSink events, ApplierBody body) {
    try (CloudProvider provider = providers.create(spec, gate(spec), secrets)) {
      Applier applier =
          new Applier(
              provider,
              store(),
              new BootstrapScripts(),
              rosters,
              events,
              Clock.systemUTC(),
              options);
      return body.run(applier);
    } catch (ValidationException e) {
      e.violations().forEach(v -> err.println(ErrorLine.of(v.toString())));
      return 2;
    } catch (PreflightException e) {
      err.println(ErrorLine.of(e.getMessage()));
      return 2;
    }
  }

  interface ApplierBody {
    int run(Applier applier);
  }

  int report(ApplyResult result) {
    if (!json()) {
      for (NodeResult n : result.nodes()) {
        String why = n.reason() == null ? "" : ": " + n.reason();
        (n.failed() ? err : out).println(n.node() + " " + n.outcome() + why);
      }
      if (result.allocatorEndpoint() != null) {
        out.println("allocator: " + result.allocatorEndpoint());
      }
      out.println(
          result.ok()
              ? "Apply complete."
              : result.failures().size() + " node(s) failed; the others are usable.");
    }
    return result.ok() ? 0 : 1;
  }

  EventSink sink(String task) {
    if (json()) {
      return new JsonEventSink(out, Clock.systemUTC());
    }
    return new ProgressSink(task, err);
  }

  int apply(ClusterSpec spec) {
    EventSink sink = sink("apply " + spec.name());
    try {
      return withProvider(spec, sink, a -> report(a.apply(spec)));
    } finally {
      if (sink instanceof ProgressSink p) {
        p.close();
      }
    }
  }

  @Command(name = "plan", description = "Show what apply would create, change and delete.")
  static final class PlanCommand implements Callable<Integer> {
    @ParentCommand ProvisionCommand parent;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The cluster spec (YAML).")
    Path file;

    @Override
    public Integer call() {
      ClusterSpec spec;
      try {
        spec = parent.read(file);
      } catch (ValidationException e) {
        e.violations().forEach(v -> parent.err.println(ErrorLine.of(v.toString())));
        return 2;
      }
      Plan plan =
          io.strata.provisioner.core.Planner.apply(
              io.strata.provisioner.core.Topology.machines(spec),
              parent
                  .store()
                  .load(spec.name())
                  .orElseGet(() -> ClusterRecord.empty(spec.name(), spec.cloud().wire(), null)));
      if (parent.json()) {
        JsonEventSink sink = new JsonEventSink(parent.out, Clock.systemUTC());
        for (Step s : plan.steps()) {
          sink.emit(new ApplyEvent(ApplyEvent.PLANNED, null, null, null, s.describe()));
        }
        sink.emit(new ApplyEvent(ApplyEvent.SUMMARY, null, null, null, plan.summary()));
      } else {
        plan.steps().forEach(s -> parent.out.println(s.describe()));
        parent.out.println(plan.isEmpty() ? "No changes. " + plan.summary() : plan.summary());
      }
      return 0;
    }
  }

  @Command(name = "apply", description = "Create or change the cluster to match the spec.")
  static final class ApplyCommand implements Callable<Integer> {
    @ParentCommand ProvisionCommand parent;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The cluster spec (YAML).")
    Path file;

    @Override
    public Integer call() {
      try {
        return parent.apply(parent.read(file));
      } catch (ValidationException e) {
        e.violations().forEach(v -> parent.err.println(ErrorLine.of(v.toString())));
        return 2;
      }
    }
  }

  @Command(name = "scale", description = "Set a pool's node count and apply.")
  static final class ScaleCommand implements Callable<Integer> {
    @ParentCommand ProvisionCommand parent;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The cluster spec (YAML).")
    Path file;

    @Parameters(index = "0", description = "The pool.")
    String pool;

    @Parameters(index = "1", description = "How many nodes it should have.")
    int count;

    @Override
    public Integer call() {
      try {
        ClusterSpec spec = parent.read(file).withPoolCount(pool, count);
        int code = parent.apply(spec);
        parent.err.println(
            "note: "
                + file
                + " still holds the old count of pool "
                + pool
                + "; set it to "
                + count
                + " or the next apply scales back");
        return code;
      } catch (ValidationException e) {
        e.violations().forEach(v -> parent.err.println(ErrorLine.of(v.toString())));
        return 2;
      }
    }
  }

  @Command(name = "destroy", description = "Delete every resource of the cluster.")
  static final class DestroyCommand implements Callable<Integer> {
    @ParentCommand ProvisionCommand parent;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "The cluster spec (YAML).")
    Path file;

    @Override
    public Integer call() {
      try {
        ClusterSpec spec = parent.read(file);
        EventSink sink = parent.sink("destroy " + spec.name());
        try {
          return parent.withProvider(
              spec,
              sink,
              a -> {
                ApplyResult r = a.destroy(spec.name());
                if (!parent.json()) {
                  parent.out.println(r.ok() ? "Destroy complete." : "Destroy incomplete:");
                  r.failures().forEach(f -> parent.err.println(f.node() + ": " + f.reason()));
                }
                return r.ok() ? 0 : 1;
              });
        } finally {
          if (sink instanceof ProgressSink p) {
            p.close();
          }
        }
      } catch (ValidationException e) {
        e.violations().forEach(v -> parent.err.println(ErrorLine.of(v.toString())));
        return 2;
      }
    }
  }

  @Command(name = "status", description = "Show the recorded state of a cluster.")
  static final class StatusCommand implements Callable<Integer> {
    @ParentCommand ProvisionCommand parent;

    @Parameters(index = "0", description = "The cluster's name.")
    String cluster;

    @Override
    public Integer call() {
      var record = parent.store().load(cluster);
      if (record.isEmpty()) {
        parent.err.println(
            ErrorLine.of("no state for cluster " + cluster + " in " + parent.store().dir()));
        return 2;
      }
      ClusterRecord r = record.get();
      if (parent.json()) {
        // The secrets stay in the state file.
        ClusterRecord shown =
            new ClusterRecord(
                r.cluster(), r.cloud(), r.network(), r.nodes(), null, r.allocatorEndpoint());
        parent.out.println(Codec.JSON.encode(shown));
        return 0;
      }
      parent.out.printf(
          "cluster %s on %s, allocator %s%n", r.cluster(), r.cloud(), r.allocatorEndpoint());
      r.nodes()
          .values()
          .forEach(
              n ->
                  parent.out.printf(
                      "%-28s %-8s %-9s %-15s %-15s %s%n",
                      n.name(),
                      n.machine().pool(),
                      n.status(),
                      n.privateIp() == null ? "-" : n.privateIp(),
                      n.publicIp() == null ? "-" : n.publicIp(),
                      n.error() == null ? "" : n.error()));
      return 0;
    }
  }
}

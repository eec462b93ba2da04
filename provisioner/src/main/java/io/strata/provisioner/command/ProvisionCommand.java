package io.strata.provisioner.command;

import io.strata.api.client.ErrorLine;
import io.strata.api.json.ValidationException;
import io.strata.provisioner.apply.AgentRoster;
import io.strata.provisioner.apply.Applier;
import io.strata.provisioner.apply.ApplyOptions;
import io.strata.provisioner.apply.ApplyResult;
import io.strata.provisioner.apply.EventSink;
import io.strata.provisioner.apply.JsonEventSink;
import io.strata.provisioner.apply.NodeResult;
import io.strata.provisioner.apply.PreflightException;
import io.strata.provisioner.apply.ProgressSink;
import io.strata.provisioner.bootstrap.BootstrapScripts;
import io.strata.provisioner.cloud.CloudException;
import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.core.ClusterRecord;
import io.strata.provisioner.core.Plan;
import io.strata.provisioner.core.PlanResources;
import io.strata.provisioner.core.Planner;
import io.strata.provisioner.core.Step;
import io.strata.provisioner.core.Topology;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.Secrets;
import io.strata.provisioner.state.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata provision plan|apply|scale|destroy|status}. Mount it under the {@code strata}
 * command, or run it alone ({@link #main}). Exit codes: 0 done, 1 some nodes failed (the others are
 * usable) or the user declined, 2 refused before anything was created (invalid spec, preflight,
 * unreachable cloud, no confirmation). {@code plan -detailed-exitcode}: 0 no changes, 1 error, 2
 * changes.
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = "Create, change and destroy clusters on Azure, OpenStack or this machine.",
    subcommands = {
      ProvisionPlan.class,
      ProvisionApply.class,
      ProvisionScale.class,
      ProvisionDestroy.class,
      ProvisionStatus.class
    })
public final class ProvisionCommand {
  final ProviderFactory providers;
  final AgentRoster.Source rosters;
  final Secrets secrets;
  final ApplyOptions options;
  final CloudGate.RateLimit rateLimit;
  PrintStream out = System.out;
  PrintStream err = System.err;
  InputStream in = System.in;
  boolean interactive = Terminal.stdin();
  boolean terminal = Terminal.stderr();
  ClusterContexts contexts;

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

  /** Prints to these streams; neither is a terminal (no progress bar, no {@code \r}). */
  public ProvisionCommand withStreams(PrintStream newOut, PrintStream newErr) {
    this.out = newOut;
    this.err = newErr;
    this.terminal = false;
    return this;
  }

  /**
   * Reads answers from {@code newIn}; {@code isInteractive}: whether someone types them (a
   * terminal). Without it apply and destroy need {@code --auto-approve}.
   */
  public ProvisionCommand withInput(InputStream newIn, boolean isInteractive) {
    this.in = newIn;
    this.interactive = isInteractive;
    return this;
  }

  /** Where a new cluster is remembered after apply (the CLI's contexts). */
  public ProvisionCommand withContexts(ClusterContexts newContexts) {
    this.contexts = newContexts;
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

  int invalid(ValidationException e) {
    e.violations().forEach(v -> err.println(ErrorLine.of(v.toString())));
    return 2;
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

  /** What apply would do, from the recorded state alone: nothing is asked of the cloud. */
  Plan plan(ClusterSpec spec) {
    return Planner.apply(
        Topology.machines(spec),
        store()
            .load(spec.name())
            .orElseGet(() -> ClusterRecord.empty(spec.name(), spec.cloud().wire(), null)));
  }

  /** The plan's steps, each with the cloud resources behind it, and Terraform's summary line. */
  void print(ClusterSpec spec, Plan plan) {
    for (Step s : plan.steps()) {
      PlanResources.lines(spec, s).forEach(out::println);
    }
    out.println(plan.isEmpty() ? "No changes. " + plan.summary() : plan.summary());
  }

  /**
   * Runs {@code body} with the spec's provider, turning refusals into messages and exit code 2: an
   * invalid spec, a failed preflight, and a cloud that failed every call so far: unreachable, or
   * refusing the credentials (nothing can have been created then: no call succeeded).
   */
  int withProvider(ClusterSpec spec, EventSink events, ApplierBody body) {
    CloudGate gate = gate(spec);
    try (CloudProvider provider = providers.create(spec, gate, secrets)) {
      Applier applier =
          new Applier(
              provider,
              store(),
              new BootstrapScripts(),
              rosters,
              events,
              Clock.systemUTC(),
              options);
      return body.run(applier, provider);
    } catch (ValidationException e) {
      close(events);
      return invalid(e);
    } catch (PreflightException e) {
      close(events);
      err.println(ErrorLine.of(e.getMessage()));
      return 2;
    } catch (CloudException e) {
      // Only for clouds behind the gate: the local cloud makes no requests through it.
      if (gate.requests() > 0 && !gate.succeeded()) {
        // The bar ends first: the error is a line of its own, not spliced into it.
        close(events);
        err.println(ErrorLine.of(e.getMessage()));
        return 2;
      }
      throw e;
    }
  }

  interface ApplierBody {
    int run(Applier applier, CloudProvider provider);
  }

  int report(ApplyResult result) {
    if (!json()) {
      for (NodeResult n : result.nodes()) {
        String why = n.reason() == null ? "" : ": " + n.reason();
        (n.failed() ? err : out).println(n.node() + " " + n.outcome() + why);
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
    return new ProgressSink(task, err, terminal);
  }

  /** Shows the plan, asks (unless {@code autoApprove}), then applies and remembers the cluster. */
  int apply(ClusterSpec spec, boolean autoApprove) {
    if (!json()) {
      print(spec, plan(spec));
    }
    if (!plan(spec).isEmpty() && !autoApprove) {
      Integer refused = new Confirmation(this).ask(Confirmation.APPLY);
      if (refused != null) {
        return refused;
      }
    }
    EventSink sink = sink("apply " + spec.name());
    try {
      return withProvider(
          spec,
          sink,
          (a, provider) -> {
            ApplyResult result = a.apply(spec);
            close(sink);
            int code = report(result);
            new Reachability(this).tell(spec, provider);
            return code;
          });
    } finally {
      close(sink);
    }
  }

  static void close(EventSink sink) {
    if (sink instanceof ProgressSink p) {
      p.close();
    }
  }
}

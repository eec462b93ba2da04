package io.strata.cli.commands;

import io.strata.api.json.ValidationException;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import io.strata.cli.output.PlanText;
import io.strata.cli.output.Printer;
import io.strata.workloads.core.RolloutPlan;
import io.strata.workloads.spec.Specs;
import io.strata.workloads.spec.WorkloadSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "run",
    description = {
      "Create or update apps and jobs from spec files (YAML or JSON, with kind: service or job).",
      "Every file is checked first; if any is invalid nothing is submitted and every problem is"
          + " listed with its field path (exit code 2). An app whose task changed is rolled to a new"
          + " version; a new job without a schedule starts its first run.",
      "With --dry-run nothing is applied: each spec is compared with what runs now and every"
          + " field that would change is shown (+ added, - removed, ~ changed: old => new), with"
          + " what happens to instances (replaced by a rolling update, created, destroyed), as"
          + " nomad job plan does."
    },
    footer = {
      "%nExamples:",
      "  strata run -f examples/mixed/web.yaml",
      "  strata run -f examples/mixed            # every .yaml, .yml and .json file in it",
      "  strata run -f web.yaml --dry-run        # show what would change; apply nothing",
      "  strata run -f web.yaml --dry-run --detailed-exitcode   # exit 2 if anything would change",
      "  strata run -f web.yaml --check          # only check the file (no cluster needed)"
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin ClientOptions options;

  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "A spec file, a directory of them, or - for standard input. Repeatable.")
  List<Path> files;

  @Option(
      names = "--dry-run",
      description =
          "Show what would change against what runs now (fields, instances); apply nothing.")
  boolean dryRun;

  @Option(
      names = {"--detailed-exitcode", "-detailed-exitcode"},
      description =
          "With --dry-run, as terraform plan: exit 0 when nothing would change, 2 when something"
              + " would, 1 on any error (an invalid spec too).")
  boolean detailedExitcode;

  @Option(
      names = "--check",
      description = "Only check the spec files (field paths of every problem); no cluster needed.")
  boolean check;

  @Override
  public Integer call() throws IOException {
    if (detailedExitcode && !dryRun) {
      throw new CliException(ExitCodes.USAGE, "--detailed-exitcode goes with --dry-run");
    }
    if (dryRun && check) {
      throw new CliException(ExitCodes.USAGE, "give --dry-run or --check, not both");
    }
    if (!detailedExitcode) {
      return apply();
    }
    try {
      return apply();
    } catch (RuntimeException e) {
      ExitCodes.report(e, options.err());
      options.err().flush();
      return ExitCodes.FAILURE;
    }
  }

  private int apply() throws IOException {
    Map<String, WorkloadSpec> specs = new LinkedHashMap<>();
    PrintWriter err = options.err();
    boolean invalid = false;
    for (Path f : expand(files)) {
      String name = f.toString();
      try {
        byte[] bytes = name.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(f);
        WorkloadSpec spec = Specs.decode(name, bytes);
        specs.put(name, spec);
      } catch (ValidationException e) {
        invalid = true;
        err.println(io.strata.api.client.ErrorLine.of(name + " is invalid:"));
        e.violations()
            .forEach(
                v ->
                    err.println(
                        "  " + (v.field().isEmpty() ? "" : v.field() + ": ") + v.message()));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new CliException(ExitCodes.USAGE, "no such file: " + name);
      }
    }
    if (invalid) {
      err.flush();
      return detailedExitcode ? ExitCodes.FAILURE : ExitCodes.USAGE;
    }
    if (dryRun) {
      return plan(specs);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Map.Entry<String, WorkloadSpec> e : specs.entrySet()) {
      WorkloadSpec spec = e.getValue();
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("kind", spec.kind());
      result.put("id", spec.id());
      result.put("file", e.getKey());
      result.put(
          "change", check ? "valid" : String.valueOf(options.client().submit(spec).get("change")));
      results.add(result);
    }
    Printer printer = options.printer();
    if (!printer.structured(results)) {
      PrintWriter out = printer.out();
      for (Map<String, Object> r : results) {
        out.println(
            r.get("kind")
                + " "
                + r.get("id")
                + ": "
                + r.get("change")
                + (check ? " (" + r.get("file") + ")" : ""));
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Each spec's plan against what runs now; exit 2 with --detailed-exitcode if any changes. */
  private int plan(Map<String, WorkloadSpec> specs) {
    List<Map<String, Object>> results = new ArrayList<>();
    List<RolloutPlan> plans = new ArrayList<>();
    for (Map.Entry<String, WorkloadSpec> e : specs.entrySet()) {
      RolloutPlan plan = options.client().plan(e.getValue());
      plans.add(plan);
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("file", e.getKey());
      result.put("plan", plan);
      results.add(result);
    }
    Printer printer = options.printer();
    if (!printer.structured(results)) {
      PrintWriter out = printer.out();
      for (int i = 0; i < plans.size(); i++) {
        PlanText.print(
            plans.get(i), specs.size() > 1 ? (String) results.get(i).get("file") : null, out);
      }
      out.println();
      out.println(PlanText.summary(plans));
      out.flush();
    }
    boolean changes = plans.stream().anyMatch(RolloutPlan::changes);
    return detailedExitcode && changes ? CHANGES_PRESENT : ExitCodes.OK;
  }

  /** The exit code of a dry run with --detailed-exitcode when something would change. */
  public static final int CHANGES_PRESENT = 2;

  private static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.list(p)) {
          s.filter(RunCommand::isSpec).sorted().forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    if (out.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "no spec files (.yaml, .yml, .json) in " + paths);
    }
    return out;
  }

  static boolean isSpec(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }
}

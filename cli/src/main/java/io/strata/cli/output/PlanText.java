package io.strata.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.strata.api.json.Codec;
import io.strata.workloads.core.FieldChange;
import io.strata.workloads.core.RolloutPlan;
import java.io.PrintWriter;
import java.util.List;

/**
 * A dry run's plans as text, in the shape of {@code nomad job plan}: a line per app or job saying
 * what would happen ({@code +} create, {@code ~} change, {@code =} nothing), then a line per field
 * ({@code +} added, {@code -} removed, {@code ~} changed, {@code old => new}), then the effects.
 */
public final class PlanText {
  private PlanText() {}

  /** One plan; {@code source} (a file name) is shown beside the app or job when not null. */
  public static void print(RolloutPlan p, String source, PrintWriter out) {
    out.println(headline(p) + (source == null ? "" : "  (" + source + ")"));
    for (FieldChange c : p.fields()) {
      out.println("    " + field(c));
    }
    String effect = effect(p);
    if (!effect.isEmpty()) {
      out.println("  " + effect);
    }
    for (String note : p.notes()) {
      out.println("  " + note);
    }
  }

  /** The closing line: how many would be created, changed, left alone. */
  public static String summary(List<RolloutPlan> plans) {
    long create = plans.stream().filter(p -> p.change() == RolloutPlan.Change.CREATE).count();
    long none = plans.stream().filter(p -> !p.changes()).count();
    long change = plans.size() - create - none;
    return "Plan: " + create + " to create, " + change + " to change, " + none + " unchanged.";
  }

  static String headline(RolloutPlan p) {
    String what = p.kind() + " " + p.id() + ": ";
    return switch (p.change()) {
      case NONE -> "= " + what + "no changes";
      case CREATE ->
          "+ "
              + what
              + "create"
              + (p.kind().equals("service") ? " (version " + p.toVersion() + ")" : "");
      case ROLLING_UPDATE ->
          "~ " + what + "rolling update, version " + p.fromVersion() + " => " + p.toVersion();
      case SCALE -> "~ " + what + "scale (version " + p.fromVersion() + " stays)";
      case IN_PLACE ->
          "~ " + what + "in-place update (version " + p.fromVersion() + " stays, no restarts)";
      case UPDATE -> "~ " + what + "update";
    };
  }

  static String field(FieldChange c) {
    return switch (c.kind()) {
      case ADDED -> "+ " + c.path() + ": " + value(c.after());
      case REMOVED -> "- " + c.path() + ": " + value(c.before());
      case CHANGED -> "~ " + c.path() + ": " + value(c.before()) + " => " + value(c.after());
    };
  }

  /** What happens to instances, e.g. {@code instances: 2 replaced, 1 created}; empty if none. */
  static String effect(RolloutPlan p) {
    if (!p.kind().equals("service") || p.change() == RolloutPlan.Change.NONE) {
      return "";
    }
    StringBuilder s = new StringBuilder();
    append(s, p.replace(), "replaced by a rolling update");
    append(s, p.create(), "created");
    append(s, p.destroy(), "destroyed");
    return s.isEmpty() ? "instances: none created, destroyed or replaced" : "instances: " + s;
  }

  private static void append(StringBuilder s, int n, String what) {
    if (n > 0) {
      s.append(s.isEmpty() ? "" : ", ").append(n).append(' ').append(what);
    }
  }

  /** A value as JSON: strings quoted, objects and lists on one line. */
  static String value(Object v) {
    try {
      return Codec.JSON.mapper().writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }
}

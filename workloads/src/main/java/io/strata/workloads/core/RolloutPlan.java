package io.strata.workloads.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What applying a spec would do, without doing it (as {@code nomad job plan}): the field-level
 * changes against what runs now, and the effect on instances.
 *
 * @param kind {@code service} or {@code job}
 * @param change what kind of change it is
 * @param fromVersion the app's version now (null for a new app, and for jobs)
 * @param toVersion the app's version after (null for jobs)
 * @param create instances that would be started besides replacements (scale up, new app)
 * @param destroy instances that would be stopped without replacement (scale down)
 * @param replace instances a rolling update would replace with the new version
 * @param fields every field that would change, in field order
 * @param notes further effects, one sentence each (runs started, schedules)
 */
public record RolloutPlan(
    String kind,
    String id,
    Change change,
    Long fromVersion,
    Long toVersion,
    int create,
    int destroy,
    int replace,
    List<FieldChange> fields,
    List<String> notes) {

  public enum Change {
    /** Nothing would change. */
    NONE,
    /** A new app or job. */
    CREATE,
    /** A new app version: instances replaced by a rolling update (and the count may change). */
    ROLLING_UPDATE,
    /** Only the instance count changes: instances started or stopped, none replaced. */
    SCALE,
    /** Only settings that need no new instances change (e.g. the history limit). */
    IN_PLACE,
    /** A job's spec changes: runs started from now on use it. */
    UPDATE
  }

  public RolloutPlan {
    fields = List.copyOf(fields);
    notes = List.copyOf(notes);
  }

  public boolean changes() {
    return change != Change.NONE;
  }

  /**
   * An app's plan.
   *
   * @param current the spec running now as a tree; null for a new app
   * @param version the app's version now (0 for a new app; a removed app that still stops comes
   *     back as its next version)
   * @param currentInstances its wanted instance count now
   * @param next the spec to apply, as a tree
   * @param nextInstances its instance count
   * @param newVersion whether the task changes (the framework's own rule: a rolling update)
   */
  public static RolloutPlan forApp(
      String id,
      Map<String, ?> current,
      long version,
      int currentInstances,
      Map<String, ?> next,
      int nextInstances,
      boolean newVersion) {
    if (current == null) {
      return new RolloutPlan(
          "service",
          id,
          Change.CREATE,
          null,
          version + 1,
          nextInstances,
          0,
          0,
          SpecDiff.diff(Map.of(), next),
          List.of());
    }
    List<FieldChange> fields = SpecDiff.diff(current, next);
    int create = Math.max(0, nextInstances - currentInstances);
    int destroy = Math.max(0, currentInstances - nextInstances);
    Change change;
    if (newVersion) {
      change = Change.ROLLING_UPDATE;
    } else if (create + destroy > 0) {
      change = Change.SCALE;
    } else {
      change = fields.isEmpty() ? Change.NONE : Change.IN_PLACE;
    }
    int replace = newVersion ? Math.min(currentInstances, nextInstances) : 0;
    return new RolloutPlan(
        "service",
        id,
        change,
        version,
        newVersion ? version + 1 : version,
        create,
        destroy,
        replace,
        fields,
        List.of());
  }

  /**
   * A job's plan.
   *
   * @param current the job's spec now as a tree; null for a new job
   * @param cron the new spec's schedule; null for a job that runs once when created
   * @param tasksPerRun the new spec's completions
   * @param activeRuns runs of the job under way now
   */
  public static RolloutPlan forJob(
      String id,
      Map<String, ?> current,
      Map<String, ?> next,
      String cron,
      int tasksPerRun,
      int parallelism,
      int activeRuns) {
    List<String> notes = new ArrayList<>();
    if (current == null) {
      notes.add(
          cron == null
              ? "starts its first run now: "
                  + tasksPerRun
                  + " task(s) to complete, "
                  + parallelism
                  + " at a time"
              : "runs on the schedule '" + cron + "'; no run starts now");
      return new RolloutPlan(
          "job",
          id,
          Change.CREATE,
          null,
          null,
          cron == null ? Math.min(tasksPerRun, parallelism) : 0,
          0,
          0,
          SpecDiff.diff(Map.of(), next),
          notes);
    }
    List<FieldChange> fields = SpecDiff.diff(current, next);
    if (fields.isEmpty()) {
      return new RolloutPlan("job", id, Change.NONE, null, null, 0, 0, 0, fields, notes);
    }
    notes.add("runs started from now on use the new spec");
    if (activeRuns > 0) {
      notes.add(activeRuns + " active run(s) keep the tasks they have");
    }
    boolean scheduleChanged =
        fields.stream()
            .anyMatch(f -> f.path().equals("schedule") || f.path().startsWith("schedule."));
    if (scheduleChanged) {
      notes.add(
          cron == null
              ? "no longer scheduled: runs start only with strata start"
              : "next runs follow the schedule '" + cron + "'");
    }
    return new RolloutPlan("job", id, Change.UPDATE, null, null, 0, 0, 0, fields, notes);
  }
}

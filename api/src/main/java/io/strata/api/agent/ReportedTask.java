package io.strata.api.agent;

import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.api.json.Checks;

/** A task an agent runs, as it reports it when re-registering. */
public record ReportedTask(FrameworkId frameworkId, TaskId taskId, TaskState state) {
  public ReportedTask {
    new Checks()
        .notNull("frameworkId", frameworkId)
        .notNull("taskId", taskId)
        .notNull("state", state)
        .done();
  }
}

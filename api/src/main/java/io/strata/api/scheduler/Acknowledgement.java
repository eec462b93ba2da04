package io.strata.api.scheduler;

import io.strata.api.AgentId;
import io.strata.api.TaskId;
import io.strata.api.TaskStatus;
import io.strata.api.json.Checks;
import java.util.UUID;

/** One entry of an ACKNOWLEDGE_UPDATES call: the update of {@code taskId} with this uuid. */
public record Acknowledgement(AgentId agentId, TaskId taskId, UUID uuid) {
  public Acknowledgement {
    new Checks().notNull("taskId", taskId).notNull("uuid", uuid).done();
  }

  /** The acknowledgement of {@code status}, which must carry a uuid. */
  public static Acknowledgement of(TaskStatus status) {
    return new Acknowledgement(status.agentId(), status.taskId(), status.uuid());
  }
}

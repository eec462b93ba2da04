package io.strata.api.agent;

import io.strata.api.TaskStatus;
import io.strata.api.json.Checks;
import java.util.List;

/**
 * {@code POST /v1/agents/{id}/statuses}: many status updates in one request, in the order the agent
 * produced them (updates of one task must keep their order). The allocator makes the whole batch
 * durable at once (one journal write, one fsync) and answers {@link StatusAcks} naming every uuid;
 * a batch with any invalid update is refused whole (400, each violation under {@code updates[i]}),
 * and nothing of it is kept.
 */
public record StatusUpdates(List<TaskStatus> updates) {
  /** The most updates one request may carry. */
  public static final int MAX_UPDATES = 10_000;

  public StatusUpdates {
    Checks c = new Checks();
    c.require(updates != null && !updates.isEmpty(), "updates", "must hold at least one update");
    if (updates != null) {
      c.require(
          updates.size() <= MAX_UPDATES,
          "updates",
          "must hold at most " + MAX_UPDATES + " updates (was " + updates.size() + ")");
    }
    c.noNullElements("updates", updates);
    c.done();
    updates = List.copyOf(updates);
  }
}

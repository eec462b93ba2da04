package io.strata.api.scheduler;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.strata.api.Resources;
import io.strata.api.Roles;
import io.strata.api.TaskInfo;
import io.strata.api.json.Checks;
import java.util.List;

/**
 * What a framework does with an offer in ACCEPT. Operations apply in order; if any is invalid the
 * whole ACCEPT is refused and nothing happens (no half-launches).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Operation.Launch.class, name = "LAUNCH"),
  @JsonSubTypes.Type(value = Operation.Reserve.class, name = "RESERVE"),
  @JsonSubTypes.Type(value = Operation.Unreserve.class, name = "UNRESERVE")
})
public sealed interface Operation {

  /**
   * Launch tasks. Each task uses resources reserved for the offer's role (and its ancestors) first,
   * then unreserved ones.
   */
  record Launch(List<TaskInfo> tasks) implements Operation {
    public Launch {
      Checks c = new Checks();
      c.require(tasks != null && !tasks.isEmpty(), "tasks", "must name at least one task");
      c.noNullElements("tasks", tasks);
      c.done();
      tasks = List.copyOf(tasks);
    }
  }

  /** Reserve unreserved resources of the offer for {@code role} (dynamic reservation). */
  record Reserve(String role, Resources resources) implements Operation {
    public Reserve {
      Checks c = new Checks().notNull("resources", resources);
      c.nested("role", () -> Roles.check(role));
      c.done();
    }
  }

  /** Give back dynamically reserved resources of {@code role} to the unreserved pool. */
  record Unreserve(String role, Resources resources) implements Operation {
    public Unreserve {
      Checks c = new Checks().notNull("resources", resources);
      c.nested("role", () -> Roles.check(role));
      c.done();
    }
  }
}

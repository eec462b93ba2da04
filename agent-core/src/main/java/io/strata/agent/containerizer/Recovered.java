package io.strata.agent.containerizer;

import java.util.Objects;

/** What {@link Containerizer#recover} found for one checkpointed container. */
public sealed interface Recovered {
  ContainerId containerId();

  /**
   * Still running and re-attached: {@link Containerizer#wait}, {@link Containerizer#kill} and
   * {@link Containerizer#usage} work on it as if this instance had launched it.
   */
  record Running(ContainerId containerId) implements Recovered {
    public Running {
      Objects.requireNonNull(containerId, "containerId");
    }
  }

  /**
   * It ended while the agent was down; {@code termination} says how (with the real exit code when
   * the platform kept it). Its host resources are already released.
   */
  record Ended(ContainerId containerId, Termination termination) implements Recovered {
    public Ended {
      Objects.requireNonNull(containerId, "containerId");
      Objects.requireNonNull(termination, "termination");
    }
  }
}

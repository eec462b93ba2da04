package io.strata.agent.containerizer;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What the containerizers that stop a task in two steps share: the table of containers they hold,
 * {@link #wait} and {@link #kill}. A kill asks the task to stop ({@link #politeStop}: SIGTERM or
 * the like), waits out the grace period, then ends everything it started ({@link #hardKill}) and
 * waits up to {@link #KILL_PATIENCE} for the end to be observed.
 *
 * @param <E> the implementation's record of one container
 */
public abstract class GracefulContainerizer<E extends GracefulContainerizer.Held>
    implements Containerizer {
  /** How long after the hard kill the end must be observed before {@link #kill} gives up. */
  public static final Duration KILL_PATIENCE = Duration.ofSeconds(30);

  /** What is known of one container whatever runs it: its id, its end, whether it was killed. */
  public abstract static class Held {
    public final ContainerId id;
    public final CompletableFuture<Termination> termination = new CompletableFuture<>();

    /** Set before the first kill step: an end after it is the agent's doing, not the task's. */
    public volatile boolean killRequested;

    protected Held(ContainerId id) {
      this.id = id;
    }
  }

  protected final ContainerTable<E> containers = new ContainerTable<>();

  /** Asks the container's task to stop (it may ignore it). May block briefly; not for long. */
  protected abstract void politeStop(E container) throws IOException;

  /** Ends everything the container started, at once. */
  protected abstract void hardKill(E container) throws IOException;

  @Override
  public final CompletableFuture<Termination> wait(ContainerId id) {
    return containers.get(id).termination;
  }

  /**
   * The SPI's kill. A step that fails because the task ended meanwhile (its cgroups or container
   * gone under us) is success once the end is observed within 5 s.
   */
  @Override
  public final void kill(ContainerId id, Duration gracePeriod) {
    E c = containers.get(id);
    if (c.termination.isDone()) {
      return;
    }
    c.killRequested = true;
    try {
      if (!gracePeriod.isZero() && !gracePeriod.isNegative()) {
        politeStop(c);
        if (ContainerTable.awaitEnd(c.termination, gracePeriod, c.id)) {
          return;
        }
      }
      hardKill(c);
      if (!ContainerTable.awaitEnd(c.termination, KILL_PATIENCE, c.id)) {
        throw new ContainerizerException(
            "container " + id + " did not end within " + KILL_PATIENCE + " of being killed");
      }
    } catch (IOException e) {
      if (ContainerTable.awaitEnd(c.termination, Duration.ofSeconds(5), c.id)) {
        return;
      }
      throw new ContainerizerException("cannot kill " + id + ": " + e.getMessage(), e);
    }
  }
}

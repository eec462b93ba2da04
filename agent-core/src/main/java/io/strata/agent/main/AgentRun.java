package io.strata.agent.main;

import io.strata.agent.Agent;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of the agent, the same on every platform, under a service manager or from a console:
 * built and started by {@link #start}, closed once by {@link #stop} (a service STOP, a console's
 * Ctrl+C or SIGTERM, or the end of a Shutdown from the allocator). Closing leaves tasks running:
 * the next agent process re-attaches to them.
 */
public final class AgentRun {
  private static final System.Logger LOG = System.getLogger(AgentRun.class.getName());

  private final Callable<Agent> factory;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Integer> ended = new CompletableFuture<>();
  private volatile Agent agent;

  /**
   * @param factory builds the agent (not started)
   */
  public AgentRun(Callable<Agent> factory) {
    this.factory = factory;
  }

  /** Builds and starts the agent; returns once it runs. On a failure it is closed again. */
  public void start() throws Exception {
    Agent a = factory.call();
    agent = a;
    try {
      a.start();
    } catch (Exception | Error e) {
      stop();
      throw e;
    }
    a.shutdownRequested()
        .whenComplete(
            (reason, failure) -> {
              if (failure != null) {
                ended.completeExceptionally(failure);
              } else {
                LOG.log(System.Logger.Level.INFO, "the allocator shut this agent down: " + reason);
                ended.complete(0);
              }
            });
  }

  /** Completes with 0 once the allocator has shut the agent down (its tasks are killed). */
  public CompletionStage<Integer> ended() {
    return ended;
  }

  public Agent agent() {
    return agent;
  }

  /** Closes the agent's machinery, once; tasks keep running. */
  public void stop() {
    Agent a = agent;
    if (a != null && closed.compareAndSet(false, true)) {
      a.close();
    }
  }
}

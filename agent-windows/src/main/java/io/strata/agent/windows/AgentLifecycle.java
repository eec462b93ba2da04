package io.strata.agent.windows;

import io.strata.agent.Agent;
import io.strata.agent.windows.service.WindowsService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the agent, the same under the Service Control Manager and from a console: built and
 * started by {@link #start}, closed once by {@link #stop} (a service STOP, a console's Ctrl+C, or
 * the end of a Shutdown from the allocator). Closing leaves tasks running: the next agent process
 * re-attaches to them.
 */
final class AgentLifecycle implements WindowsService.Body {
  private static final Logger LOG = LoggerFactory.getLogger(AgentLifecycle.class);

  private final Callable<Agent> factory;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Integer> ended = new CompletableFuture<>();
  private volatile Agent agent;

  /**
   * @param factory builds the agent (not started)
   */
  AgentLifecycle(Callable<Agent> factory) {
    this.factory = factory;
  }

  @Override
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
                LOG.info("the allocator shut this agent down: {}", reason);
                ended.complete(0);
              }
            });
  }

  /** Completes with 0 once the allocator has shut the agent down (its tasks are killed). */
  @Override
  public CompletionStage<Integer> ended() {
    return ended;
  }

  Agent agent() {
    return agent;
  }

  /** Closes the agent's machinery, once; tasks keep running. */
  @Override
  public void stop() {
    Agent a = agent;
    if (a != null && closed.compareAndSet(false, true)) {
      a.close();
    }
  }
}

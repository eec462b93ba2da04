package io.strata.allocator.server.master;

import io.strata.allocator.authz.Authorizer;
import io.strata.allocator.core.HierarchicalAllocator;
import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.state.DurableState;
import io.strata.allocator.state.DurableState.TaskKey;
import io.strata.allocator.state.JoinTokenRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.allocator.state.StateStore;
import io.strata.allocator.state.StateStoreException;
import io.strata.allocator.state.TaskRecord;
import io.strata.api.AgentId;
import io.strata.api.FrameworkId;
import io.strata.api.agent.AgentMessage;
import io.strata.api.json.ValidationException;
import io.strata.api.scheduler.SchedulerEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's in-memory state and the one lock that guards it and the allocator core. Every
 * operation runs through {@link #run}: under the lock it changes the state and records a {@link
 * Change}; the change's events are appended to the state store in order, its messages delivered
 * once they are durable, and only then does the caller (an HTTP request) get its answer.
 *
 * <p>The operations live in the classes named after what they handle ({@link AgentOps}, {@link
 * Maintenance}, {@link FrameworkOps}, {@link TaskOps}, {@link OfferOps}, {@link StoreOps}, {@link
 * RoleOps}, {@link Retention}, {@link Views}); they share this state and must validate before they
 * change anything, so that a refusal leaves no trace.
 */
public final class Master {
  private static final Logger LOG = LoggerFactory.getLogger(Master.class);

  final AllocatorConfig config;
  final Clock clock;
  public final StateStore store;
  final HierarchicalAllocator core;
  final ServerMetrics metrics;

  /** Who may do what: the configured ACLs and what the principals' settings imply. */
  public final Authorizer authorizer;

  final Instant startedAt;
  final OfferBook offers;

  /**
   * The state: changed only by the events operations journal ({@link Change#journal}), which
   * applies each at once, live as in recovery. The fields below are read-only views of it.
   */
  private final MasterState state;

  public final Map<AgentId, AgentEntry> agents;
  public final RemovedIds<AgentId> goneAgents;
  final Map<FrameworkId, FrameworkEntry> frameworks;
  final RemovedIds<FrameworkId> removedFrameworks;

  /** Tasks a kill was requested for: re-sent when their agent re-registers. */
  final Set<TaskKey> killRequested;

  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean failed;
  private volatile Runnable allocationTrigger = () -> {};
  private java.util.function.Consumer<Change> committed = c -> {};
  private java.util.function.Supplier<java.util.UUID> ids = java.util.UUID::randomUUID;

  private final AgentOps agentOps;
  private final Maintenance maintenance;
  private final FrameworkOps frameworkOps;
  private final TaskOps taskOps;
  private final OfferOps offerOps;
  private final StoreOps storeOps;
  private final RoleOps roleOps;
  private final Retention retention;
  private final Views views;

  /** A reader's hold on a mailbox. */
  public record Connection<T>(Mailbox<T> mailbox, long number) {}

  /** A framework's open subscription. */
  public record Subscription(
      FrameworkId frameworkId, String streamId, Connection<SchedulerEvent> connection) {}

  public Master(
      AllocatorConfig config,
      Clock clock,
      StateStore store,
      HierarchicalAllocator core,
      ServerMetrics metrics,
      Authorizer authorizer,
      String runPrefix) {
    this.config = config;
    this.clock = clock;
    this.store = store;
    this.core = core;
    this.metrics = metrics;
    this.authorizer = authorizer;
    this.startedAt = clock.instant();
    this.offers = new OfferBook(runPrefix);
    this.state = new MasterState();
    this.agents = state.agentsView;
    this.frameworks = state.frameworksView;
    this.goneAgents = state.goneAgents;
    this.removedFrameworks = state.removedFrameworks;
    this.killRequested = state.killRequested;
    this.taskOps = new TaskOps(this);
    this.offerOps = new OfferOps(this);
    this.agentOps = new AgentOps(this);
    this.maintenance = new Maintenance(this);
    this.frameworkOps = new FrameworkOps(this);
    this.storeOps = new StoreOps(this);
    this.roleOps = new RoleOps(this);
    this.retention = new Retention(this);
    this.views = new Views(this);
  }

  /** The subscription order for a framework subscribing for the first time. */
  long nextSubscriptionOrder() {
    return state.nextSubscriptionOrder();
  }

  public AgentOps agents() {
    return agentOps;
  }

  public Maintenance maintenance() {
    return maintenance;
  }

  public FrameworkOps frameworks() {
    return frameworkOps;
  }

  TaskOps tasks() {
    return taskOps;
  }

  OfferOps offerOps() {
    return offerOps;
  }

  public StoreOps store() {
    return storeOps;
  }

  public RoleOps roles() {
    return roleOps;
  }

  Retention retention() {
    return retention;
  }

  public Views views() {
    return views;
  }

  /** The durable state, for reading (under the lock); events change it. */
  DurableState durable() {
    return state.durable();
  }

  /** The task, or null. */
  TaskRecord task(TaskKey key) {
    return state.durable().task(key);
  }

  /** Loads recovered state without journaling it again (recovery only). */
  void load(Change c, StateEvent event) {
    state.apply(event, c.now());
  }

  /** The issued join tokens and the configured one's revocation, by id. */
  public Map<String, JoinTokenRecord> joinTokens() {
    return state.durable().joinTokens();
  }

  /** The agent was removed by revoking its credential (and its id is still refused). */
  public boolean revoked(AgentId id) {
    return state.durable().revoked(id);
  }

  public boolean healthy() {
    return !failed;
  }

  void onAllocationNeeded(Runnable trigger) {
    this.allocationTrigger = trigger;
  }

  /**
   * Runs {@code op} under the lock and waits until its change is durable and its messages are
   * queued. An {@link ApiError} thrown by {@code op} passes through; operations validate before
   * they journal, so nothing changed (events journaled before a refusal are applied already, so
   * they are committed all the same: memory and journal must agree).
   *
   * @throws StateStoreException if the change could not be made durable
   */
  public <T> T run(Function<Change, T> op) {
    Change change;
    T result;
    CompletableFuture<Void> durable;
    lock.lock();
    try {
      // The clock is read here, once, under the lock (so times follow the order of operations),
      // and nowhere inside the operations.
      change = new Change(state, clock.instant(), ids);
      if (failed) {
        throw new StateStoreException("the state store failed earlier; restart the allocator");
      }
      try {
        result = op.apply(change);
        durable = commit(change);
      } catch (ApiError | ValidationException e) {
        if (!change.events().isEmpty()) {
          commit(change);
        }
        throw e;
      }
    } catch (ApiError | ValidationException | StateStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw fail(e);
    } finally {
      lock.unlock();
    }
    if (change.wantsAllocation()) {
      allocationTrigger.run();
    }
    try {
      durable.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    return result;
  }

  /**
   * Like {@link #run} but does not wait for durability (the allocation loop's own work), at the
   * time {@code now} the loop read from its clock.
   */
  void runAsync(Instant now, java.util.function.Consumer<Change> op) {
    Change change = new Change(state, now, ids);
    lock.lock();
    try {
      if (failed) {
        return;
      }
      op.accept(change);
      commit(change);
    } catch (RuntimeException e) {
      throw fail(e);
    } finally {
      lock.unlock();
    }
    if (change.wantsAllocation()) {
      allocationTrigger.run();
    }
  }

  /** Reads state under the lock (views, metrics). */
  public <T> T read(java.util.function.Supplier<T> reader) {
    lock.lock();
    try {
      return reader.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A bug interrupted an operation halfway: memory may no longer match the journal. Crash-only:
   * acknowledge nothing more; a restart rebuilds a consistent state from the journal.
   */
  private RuntimeException fail(RuntimeException e) {
    failed = true;
    LOG.error("unexpected failure inside an operation; refusing further changes: restart", e);
    return e;
  }

  private CompletableFuture<Void> commit(Change change) {
    committed.accept(change);
    if (change.events().isEmpty() && change.addressed().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    long started = System.nanoTime();
    return store
        .append(change.events())
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                failed = true;
                LOG.error("state store failed; refusing further changes", error);
              } else {
                metrics.journalAppended(System.nanoTime() - started);
              }
            })
        .thenRun(() -> change.addressed().forEach(Delivery::deliver));
  }

  /**
   * Sees every change as it is committed, under the lock (tests check what operations emit). Set
   * before the master is used.
   */
  void onCommit(java.util.function.Consumer<Change> tap) {
    this.committed = tap;
  }

  /** Where new ids come from (default: random); tests give a seeded source. Set before use. */
  void useIds(java.util.function.Supplier<java.util.UUID> source) {
    this.ids = source;
  }

  // Messages as data, bound to the stream their name denotes now (under the lock).

  void toAgent(Change c, AgentEntry agent, AgentMessage message) {
    c.send(new Outbound.ToAgent(agent.record.id(), message), agent.mailbox);
  }

  void endAgentStream(Change c, AgentEntry agent) {
    c.send(new Outbound.EndAgentStream(agent.record.id()), agent.mailbox);
  }

  /** An event on the framework's current subscription; none if it has none. */
  void toFramework(Change c, FrameworkEntry framework, SchedulerEvent event) {
    if (framework.mailbox == null) {
      return;
    }
    c.send(
        new Outbound.ToFramework(framework.record.id(), framework.streamId, event),
        framework.mailbox);
  }

  /** Ends the framework's current subscription's stream (it must have one). */
  void endFrameworkStream(Change c, FrameworkEntry framework) {
    c.send(
        new Outbound.EndFrameworkStream(framework.record.id(), framework.streamId),
        framework.mailbox);
  }

  /** Ends every stream (shutdown): readers return and their connections close. */
  public void closeStreams() {
    lock.lock();
    try {
      agents.values().forEach(a -> a.mailbox.close());
      frameworks
          .values()
          .forEach(
              f -> {
                if (f.mailbox != null) {
                  f.mailbox.close();
                }
              });
    } finally {
      lock.unlock();
    }
  }
}

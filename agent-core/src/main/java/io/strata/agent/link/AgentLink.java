package io.strata.agent.link;

import io.strata.api.AgentId;
import io.strata.api.Backoff;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusAcks;
import io.strata.api.client.ApiException;
import io.strata.api.client.NdjsonStream;
import io.strata.host.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's connection to the allocator: registers (with its id and running tasks after a
 * restart), heartbeats, follows its NDJSON stream of {@link AgentMessage}s, and when any of that
 * fails — the allocator down, restarted, or no longer knowing the agent — registers again with
 * backoff. Tasks are unaffected by all of this: they keep running while the link is down.
 *
 * <p>The allocator assigns the agent's id at its first registration (with the join token) and
 * answers with the agent's own credential; both are kept durably ({@code idFile} and {@link
 * #CREDENTIAL_FILE} beside it, the credential written first), so a restarted agent re-registers as
 * itself with its credential, the only one that acts for its id. If the allocator refuses that
 * credential (401: revoked by an operator, the agent removed and forgotten, the allocator's state
 * lost) or the agent was removed (410), or the agent has an id but no credential, the id is void:
 * its tasks are killed and it joins anew with the join token.
 */
public final class AgentLink implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AgentLink.class.getName());

  /** What the link needs from the agent, and tells it. */
  public interface Agent {
    /** The registration to send now: info and every task the agent holds. */
    RegisterAgent registration(Optional<AgentId> id);

    /** Connected; status updates may flow. Called on the link's thread. */
    void connected(AgentId id);

    /** The link is down; the agent keeps its tasks and buffers updates. */
    default void disconnected() {}

    /** A message from the stream, on the stream's thread. */
    void message(AgentMessage message);

    /**
     * The allocator removed this agent for good (410) or no longer accepts its credential (401):
     * its tasks must go, its id is void.
     */
    void gone();
  }

  private final AllocatorClient client;

  /**
   * Next to the id: the agent's own credential from its last registration (0600), so a restarted
   * agent re-registers as itself (the join token only admits new agents), also after the
   * short-lived join token expired.
   */
  static final String CREDENTIAL_FILE = "agent-credential";

  private final Path idFile;
  private final Path credentialFile;
  private final Backoff backoff;
  private final Agent agent;
  private final Object signal = new Object();
  private final AtomicBoolean reconnect = new AtomicBoolean();
  private final AtomicLong generation = new AtomicLong();
  private volatile Optional<AgentId> id;
  private volatile boolean hasCredential;
  private volatile boolean connected;
  private volatile boolean closed;
  private volatile MessageStream stream;
  private Thread thread;

  public AgentLink(AllocatorClient client, Path idFile, Backoff backoff, Agent agent)
      throws IOException {
    this.client = client;
    this.idFile = idFile;
    this.backoff = backoff;
    this.agent = agent;
    this.id =
        Files.exists(idFile)
            ? Optional.of(AgentId.of(Files.readString(idFile, StandardCharsets.UTF_8).trim()))
            : Optional.empty();
    this.credentialFile = idFile.resolveSibling(CREDENTIAL_FILE);
    if (id.isPresent() && Files.exists(credentialFile)) {
      client.useAgentToken(Files.readString(credentialFile, StandardCharsets.UTF_8).strip());
      hasCredential = true;
    }
  }

  /** The id from the last registration (or the previous run), if any. */
  public Optional<AgentId> agentId() {
    return id;
  }

  public boolean isConnected() {
    return connected;
  }

  public void start() {
    thread = Thread.ofPlatform().daemon().name("strata-allocator-link").start(this::run);
  }

  /** Sends status updates in one request; used by the outbox. */
  public StatusAcks sendStatuses(List<TaskStatus> statuses) {
    AgentId current = id.orElseThrow(() -> new IllegalStateException("not registered"));
    return client.sendStatuses(current, statuses);
  }

  /** Drops the connection and registers again (e.g. the allocator said it does not know us). */
  public void reconnect() {
    reconnect.set(true);
    wake();
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void run() {
    int failures = 0;
    while (!closed) {
      reconnect.set(false);
      long interval;
      try {
        interval = register();
        openStream();
        failures = 0;
      } catch (ApiException e) {
        if (closed) {
          return;
        }
        if (e.status() == 410) {
          forget();
        }
        Duration wait = backoff.delay(++failures);
        LOG.log(
            System.Logger.Level.WARNING,
            "cannot reach the allocator ("
                + e.getMessage()
                + "); retrying in "
                + wait.toMillis()
                + " ms");
        pause(wait.toMillis());
        continue;
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "cannot record the agent id in " + idFile, e);
        pause(backoff.delay(++failures).toMillis());
        continue;
      }
      connected = true;
      agent.connected(id.orElseThrow());
      heartbeatUntilBroken(interval);
      connected = false;
      MessageStream s = stream;
      generation.incrementAndGet();
      if (s != null) {
        s.close();
      }
      if (!closed) {
        agent.disconnected();
      }
    }
  }

  private long register() throws IOException {
    if (id.isPresent() && !hasCredential) {
      // Written by an agent from before credentials, or lost: nothing can re-register this id.
      LOG.log(
          System.Logger.Level.WARNING,
          "agent " + id.get() + " has no credential in " + credentialFile + "; joining anew");
      forget();
    }
    Optional<AgentId> before = id;
    AgentRegistered answer;
    try {
      answer = client.register(agent.registration(id));
    } catch (ApiException e) {
      if (e.status() == 401 && before.isPresent()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "the allocator no longer accepts the credential of agent "
                + before.get()
                + " ("
                + e.getMessage()
                + ")");
        forget();
      }
      throw e;
    }
    // The credential first: an id on disk without its credential could never re-register.
    if (answer.agentToken() != null) {
      keepCredential(answer.agentToken());
      hasCredential = true;
    }
    if (id.isEmpty() || !id.get().equals(answer.agentId())) {
      DurableFiles.write(idFile, answer.agentId().value().getBytes(StandardCharsets.UTF_8));
      LOG.log(System.Logger.Level.INFO, "registered as agent " + answer.agentId());
    } else {
      LOG.log(System.Logger.Level.INFO, "re-registered as agent " + answer.agentId());
    }
    id = Optional.of(answer.agentId());
    return Math.max(100, answer.heartbeatIntervalMillis());
  }

  private void openStream() {
    long mine = generation.incrementAndGet();
    stream =
        client.openStream(
            id.orElseThrow(),
            new NdjsonStream.Listener<>() {
              @Override
              public void event(AgentMessage message) {
                if (!(message instanceof AgentMessage.Heartbeat)) {
                  agent.message(message);
                }
              }

              @Override
              public void closed(Optional<Throwable> cause) {
                if (!closed && generation.get() == mine) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "the allocator's stream closed"
                          + cause.map(c -> ": " + c.getMessage()).orElse(""));
                  reconnect();
                }
              }
            });
  }

  private void heartbeatUntilBroken(long intervalMillis) {
    while (!closed && !reconnect.get()) {
      pause(intervalMillis);
      if (closed || reconnect.get()) {
        return;
      }
      try {
        client.heartbeat(id.orElseThrow());
      } catch (ApiException e) {
        LOG.log(System.Logger.Level.WARNING, "heartbeat failed: " + e.getMessage());
        if (e.status() == 410) {
          forget();
        }
        return;
      }
    }
  }

  /**
   * Our id is void (the allocator removed us, or no longer accepts our credential): our tasks must
   * go, and we join anew with the join token.
   */
  private void forget() {
    LOG.log(
        System.Logger.Level.WARNING,
        "agent "
            + id.map(AgentId::value).orElse("?")
            + " is void: killing its tasks and joining anew with the join token");
    agent.gone();
    try {
      DurableFiles.delete(idFile);
      DurableFiles.delete(credentialFile);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot delete " + idFile, e);
    }
    client.useAgentToken(null);
    hasCredential = false;
    id = Optional.empty();
  }

  /** Writes the credential (owner-only) unless the file already holds it. */
  private void keepCredential(String credential) throws IOException {
    if (Files.exists(credentialFile)
        && Files.readString(credentialFile, StandardCharsets.UTF_8).strip().equals(credential)) {
      return;
    }
    // Owner-only from its first instant (never readable by the tasks' users) and synced: losing
    // it after a crash would leave the agent unable to rejoin once the join token expired.
    DurableFiles.write(credentialFile, credential.getBytes(StandardCharsets.UTF_8));
  }

  private void pause(long millis) {
    synchronized (signal) {
      if (closed || reconnect.get()) {
        return;
      }
      try {
        signal.wait(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    MessageStream s = stream;
    if (s != null) {
      s.close();
    }
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

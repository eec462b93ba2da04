package io.strata.fakes.allocator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.strata.api.AgentId;
import io.strata.api.TaskId;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.AgentRegistered;
import io.strata.api.agent.RegisterAgent;
import io.strata.api.agent.StatusAck;
import io.strata.api.agent.StatusAcks;
import io.strata.api.agent.StatusUpdates;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.ValidationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol-level fake of the allocator's agent API on 127.0.0.1, exactly as the api module
 * defines it ({@link Paths}, {@code AgentClient}): register (a join token admits a new agent, whose
 * id it assigns, and the answer carries the agent's own credential; a known agent re-registers with
 * that credential only), heartbeat (404 for an agent not registered since its restart, 410 for one
 * it removed, 401 for a credential that is not the agent's), status and statuses (answer {@link
 * StatusAck} or {@link StatusAcks} once the updates are recorded — its "durable"), and the NDJSON
 * stream of {@link AgentMessage}s that tests feed. It can go down and come back on the same port,
 * make its agents re-register (a restart), lose them with their credentials (a restart without
 * state), revoke an agent's credential, or refuse status updates for a while.
 */
public final class FakeAllocator implements AutoCloseable {
  private final String joinToken;
  private final long heartbeatIntervalMillis;
  private final AtomicInteger nextAgent = new AtomicInteger(1);
  private final Set<AgentId> known = ConcurrentHashMap.newKeySet();
  private final Set<AgentId> removed = ConcurrentHashMap.newKeySet();
  private final Set<AgentId> revoked = ConcurrentHashMap.newKeySet();

  /** Each agent's own credential, as the real allocator keeps it with the agent's record. */
  private final Map<AgentId, String> credentials = new ConcurrentHashMap<>();

  private final List<RegisterAgent> registrations = new CopyOnWriteArrayList<>();
  private final List<TaskStatus> statuses = new CopyOnWriteArrayList<>();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final Map<AgentId, Stream> streams = new ConcurrentHashMap<>();
  private volatile int refuseStatusWith;
  private volatile FakeAllocator leader;
  private final java.security.KeyPair accessKeys = ed25519();
  private int port;
  private HttpServer server;
  private ExecutorService executor;

  private static final class Stream {
    final OutputStream out;
    final CountDownLatch done = new CountDownLatch(1);

    Stream(OutputStream out) {
      this.out = out;
    }
  }

  public FakeAllocator(String joinToken, long heartbeatIntervalMillis) {
    this.joinToken = joinToken;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
  }

  /** Starts listening (on the same port as before, after {@link #stop}). */
  public synchronized FakeAllocator start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
    return this;
  }

  /** Goes down: closes streams and stops answering (connections are refused). */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    streams.values().forEach(s -> s.done.countDown());
    streams.clear();
    server.stop(0);
    executor.shutdownNow();
    server = null;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * An operator token for the agents' endpoints, valid for an hour, signed like the allocator's.
   */
  public String accessToken() {
    long now = java.time.Instant.now().getEpochSecond();
    return io.strata.api.agent.AccessToken.sign(
        new io.strata.api.agent.AccessToken.Claims("ops", "operator", now, now + 3600),
        accessKeys.getPrivate());
  }

  /**
   * Makes every agent register again, like a restarted allocator: they get 404s and re-register
   * with their credentials.
   */
  public void forgetAgents() {
    known.clear();
    streams.values().forEach(s -> s.done.countDown());
    streams.clear();
  }

  /**
   * Loses every agent and its credential, like an allocator started on an empty data dir: their
   * credentials are refused (401), they must join anew.
   */
  public void loseState() {
    forgetAgents();
    credentials.clear();
  }

  /** Revokes the agent's credential, as an operator does: its calls get 401 saying so. */
  public void revoke(AgentId agent) {
    revoked.add(agent);
    credentials.remove(agent);
    known.remove(agent);
    Stream s = streams.remove(agent);
    if (s != null) {
      s.done.countDown();
    }
  }

  /** The credential the fake issued to {@code agent}, if it holds one. */
  public String credentialOf(AgentId agent) {
    return credentials.get(agent);
  }

  /** Removes an agent for good: it gets 410 Gone. */
  public void remove(AgentId agent) {
    known.remove(agent);
    credentials.remove(agent);
    removed.add(agent);
    Stream s = streams.remove(agent);
    if (s != null) {
      s.done.countDown();
    }
  }

  /** Answers status updates with this HTTP status (0: accept them again). */
  public void refuseStatusUpdatesWith(int httpStatus) {
    refuseStatusWith = httpStatus;
  }

  public List<RegisterAgent> registrations() {
    return List.copyOf(registrations);
  }

  /** Every update received (duplicates included), in arrival order. */
  public List<TaskStatus> statuses() {
    return List.copyOf(statuses);
  }

  public List<TaskStatus> statusesOf(TaskId task) {
    return statuses.stream().filter(s -> s.taskId().equals(task)).toList();
  }

  /** Updates of a task with duplicates (same uuid) removed, in order. */
  public List<TaskStatus> distinctStatusesOf(TaskId task) {
    Set<Object> seen = new HashSet<>();
    List<TaskStatus> out = new ArrayList<>();
    for (TaskStatus s : statusesOf(task)) {
      if (seen.add(s.uuid())) {
        out.add(s);
      }
    }
    return out;
  }

  public int heartbeats() {
    return heartbeats.get();
  }

  public boolean hasStream(AgentId agent) {
    return streams.containsKey(agent);
  }

  /** Writes a message on the agent's stream; false if it has none open. */
  public boolean send(AgentId agent, AgentMessage message) {
    Stream s = streams.get(agent);
    if (s == null) {
      return false;
    }
    try {
      synchronized (s) {
        s.out.write((Codec.JSON.encode(message) + "\n").getBytes(StandardCharsets.UTF_8));
        s.out.flush();
      }
      return true;
    } catch (IOException e) {
      streams.remove(agent, s);
      s.done.countDown();
      return false;
    }
  }

  /**
   * A standby, as with HA: every request is answered 307 to {@code leader} (Location: its URL and
   * the path), until {@link #takeOver}.
   */
  public FakeAllocator standbyFor(FakeAllocator leader) {
    this.leader = leader;
    return this;
  }

  /**
   * Becomes the leader with {@code previous}'s state, as a standby does that took over from a
   * leader it replicated (HA): the agents, their credentials, removals and revocations. Agents must
   * re-register (a new leader knows no connection) and open their stream here.
   */
  public FakeAllocator takeOver(FakeAllocator previous) {
    credentials.putAll(previous.credentials);
    removed.addAll(previous.removed);
    revoked.addAll(previous.revoked);
    nextAgent.set(previous.nextAgent.get());
    leader = null;
    return this;
  }

  private void handle(HttpExchange ex) throws IOException {
    FakeAllocator lead = leader;
    if (lead != null) {
      ex.getRequestBody().readAllBytes();
      ex.getResponseHeaders().add("Location", lead.uri() + ex.getRequestURI().toString());
      problem(ex, 307, "Not the leader", "the leader is " + lead.uri());
      return;
    }
    String path = ex.getRequestURI().getPath();
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    if (path.equals(Paths.AGENT_REGISTER) && ex.getRequestMethod().equals("POST")) {
      register(ex, bearer);
      return;
    }
    String[] parts = path.split("/");
    if (parts.length != 5 || !path.startsWith(Paths.AGENTS + "/")) {
      problem(ex, 404, "Not found", "no route " + path);
      return;
    }
    AgentId agent = AgentId.of(parts[3]);
    if (!authenticated(ex, agent, bearer)) {
      return;
    }
    if (!known.contains(agent)) {
      problem(ex, 404, "Not found", "unknown agent " + agent + ": register again");
      return;
    }
    switch (parts[4]) {
      case "heartbeat" -> {
        heartbeats.incrementAndGet();
        respond(ex, 200, "application/json", new byte[0]);
      }
      case "status" -> status(ex);
      case "statuses" -> statuses(ex);
      case "stream" -> stream(ex, agent);
      default -> problem(ex, 404, "Not found", "no route " + path);
    }
  }

  /** As the real allocator: 401 revoked/unknown/not its credential, 410 removed. */
  private boolean authenticated(HttpExchange ex, AgentId agent, String bearer) throws IOException {
    if (revoked.contains(agent)) {
      problem(ex, 401, "Unauthorized", "the credential of agent " + agent + " was revoked");
      return false;
    }
    if (removed.contains(agent)) {
      problem(ex, 410, "Gone", "agent " + agent + " was removed");
      return false;
    }
    String credential = credentials.get(agent);
    if (credential == null || !credential.equals(bearer)) {
      problem(ex, 401, "Unauthorized", "present agent " + agent + "'s own credential");
      return false;
    }
    return true;
  }

  private void register(HttpExchange ex, String bearer) throws IOException {
    RegisterAgent r;
    try {
      r = Codec.JSON.decode(ex.getRequestBody().readAllBytes(), RegisterAgent.class);
    } catch (ValidationException e) {
      problem(ex, 400, "Invalid registration", e.getMessage());
      return;
    }
    AgentId id;
    String credential;
    if (r.agentId() == null) {
      if (!joinToken.equals(bearer)) {
        problem(ex, 401, "Unauthorized", "a valid join token is required");
        return;
      }
      id = AgentId.of("agent-" + nextAgent.getAndIncrement());
      credential = "sa2.credential-of-" + id.value() + "-" + UUID.randomUUID();
      credentials.put(id, credential);
    } else {
      if (joinToken.equals(bearer)) {
        problem(ex, 403, "Forbidden", "a join token registers new agents only: agentId");
        return;
      }
      if (!authenticated(ex, r.agentId(), bearer)) {
        return;
      }
      id = r.agentId();
      credential = bearer;
    }
    registrations.add(r);
    known.add(id);
    json(
        ex,
        200,
        new AgentRegistered(
            id,
            heartbeatIntervalMillis,
            credential,
            io.strata.api.agent.AccessToken.encodeKey(accessKeys.getPublic())));
  }

  private void status(HttpExchange ex) throws IOException {
    TaskStatus s;
    try {
      s = Codec.JSON.decode(ex.getRequestBody().readAllBytes(), TaskStatus.class);
    } catch (ValidationException e) {
      problem(ex, 400, "Invalid status", e.getMessage());
      return;
    }
    int refuse = refuseStatusWith;
    if (refuse != 0) {
      problem(ex, refuse, "Unavailable", "not taking status updates now");
      return;
    }
    statuses.add(s);
    json(ex, 200, new StatusAck(s.uuid()));
  }

  private void statuses(HttpExchange ex) throws IOException {
    StatusUpdates batch;
    try {
      batch = Codec.JSON.decode(ex.getRequestBody().readAllBytes(), StatusUpdates.class);
    } catch (ValidationException e) {
      problem(ex, 400, "Invalid status updates", e.getMessage());
      return;
    }
    int refuse = refuseStatusWith;
    if (refuse != 0) {
      problem(ex, refuse, "Unavailable", "not taking status updates now");
      return;
    }
    statuses.addAll(batch.updates());
    json(ex, 200, new StatusAcks(batch.updates().stream().map(TaskStatus::uuid).toList()));
  }

  private void stream(HttpExchange ex, AgentId agent) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
    ex.sendResponseHeaders(200, 0);
    ex.getResponseBody().flush(); // the headers go out now: the agent waits for them
    Stream s = new Stream(ex.getResponseBody());
    Stream old = streams.put(agent, s);
    if (old != null) {
      old.done.countDown();
    }
    try {
      s.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.remove(agent, s);
      ex.close();
    }
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    respond(ex, status, "application/json", Codec.JSON.encodeBytes(body));
  }

  private static void problem(HttpExchange ex, int status, String title, String detail)
      throws IOException {
    respond(
        ex, status, Problem.MEDIA_TYPE, Codec.JSON.encodeBytes(Problem.of(status, title, detail)));
  }

  private static void respond(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  @Override
  public void close() {
    stop();
  }

  /** The allocator's key for the agents' access tokens, as the real one generates it. */
  private static java.security.KeyPair ed25519() {
    try {
      return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

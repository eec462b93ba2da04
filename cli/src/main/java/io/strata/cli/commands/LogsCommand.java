package io.strata.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.client.ApiException;
import io.strata.api.json.Codec;
import io.strata.api.operator.AgentAccessGrant;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.TaskView;
import io.strata.cli.CliException;
import io.strata.cli.ClientOptions;
import io.strata.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    description = {
      "Print a task's output (its sandbox's stdout, or stderr), read from its agent.",
      "With -f, keep printing as it grows until the task ends (Ctrl-C to stop)."
    },
    footer = {
      "%nExamples:",
      "  strata logs web.v1.k3f9q1",
      "  strata logs batch.r1.7 --stderr",
      "  strata logs web.v1.k3f9q1 -f --tail 2048"
    })
public final class LogsCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int CHUNK = 1 << 20;

  @Mixin ClientOptions options;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TASK", description = "The task id (see strata ps).")
  String taskId;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new output until the task ends.")
  boolean follow;

  @Option(names = "--stderr", description = "Print stderr instead of stdout.")
  boolean stderr;

  @Option(
      names = "--tail",
      paramLabel = "BYTES",
      description = "Start this many bytes before the end.")
  Long tail;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  /** The token agents take, from the allocator; fetched again shortly before it expires. */
  private AgentAccessGrant access;

  private String accessToken() {
    if (access == null || Instant.now().isAfter(access.expiresAt().minusSeconds(60))) {
      access = options.client().operator().agentAccess();
    }
    return access.token();
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Location where = locate();
    String file = stderr ? "stderr" : "stdout";
    String base =
        where.endpoint()
            + "/v1/sandboxes/"
            + URLEncoder.encode(where.container(), StandardCharsets.UTF_8)
            + "/files/"
            + file;
    Utf8Out out = new Utf8Out(spec.commandLine().getOut());
    long offset = 0;
    if (tail != null) {
      offset = Math.max(0, size(where.endpoint(), where.container(), file) - tail);
    }
    while (true) {
      byte[] data = read(base, offset);
      if (data.length > 0) {
        out.write(data);
        offset += data.length;
        if (data.length == CHUNK) {
          continue;
        }
      } else if (follow && size(where.endpoint(), where.container(), file) < offset) {
        offset = 0; // rotated by the agent
        continue;
      }
      if (!follow || ended()) {
        if (follow) {
          out.write(read(base, offset)); // what came in its last moment
        }
        return ExitCodes.OK;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Prints chunks of UTF-8 text whose boundaries may split a character: the bytes of a split one
   * wait for the next chunk. Invalid bytes are shown as U+FFFD.
   */
  static final class Utf8Out {
    private final PrintWriter out;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer carry = ByteBuffer.allocate(0);

    Utf8Out(PrintWriter out) {
      this.out = out;
    }

    void write(byte[] data) {
      ByteBuffer in = ByteBuffer.allocate(carry.remaining() + data.length);
      in.put(carry).put(data).flip();
      CharBuffer chars = CharBuffer.allocate(in.remaining());
      decoder.decode(in, chars, false);
      carry = in;
      out.write(chars.array(), 0, chars.position());
      out.flush();
    }
  }

  /** Where a task's sandbox is: its agent's endpoint and its container id there. */
  private record Location(String endpoint, String container) {}

  /**
   * Asks the allocator which agent runs the task, and that agent for the task's newest sandbox. A
   * task that ended is no longer known to the allocator, but its agent keeps the sandbox for a
   * while: then every agent is asked, and the newest sandbox of the task wins (a task id may have
   * run more than once).
   */
  private Location locate() throws IOException, InterruptedException {
    for (TaskView t : options.client().operator().tasks()) {
      if (t.task().taskId().value().equals(taskId) && t.agentId() != null) {
        String endpoint = options.client().operator().agent(t.agentId()).info().endpoint();
        Optional<Candidate> found = endpoint == null ? Optional.empty() : newestOn(endpoint);
        if (found.isPresent()) {
          return found.get().location();
        }
      }
    }
    Candidate best = null;
    for (AgentView agent : options.client().operator().agents()) {
      String endpoint = agent.info().endpoint();
      if (endpoint == null) {
        continue;
      }
      try {
        Optional<Candidate> c = newestOn(endpoint);
        if (c.isPresent() && (best == null || c.get().modifiedAt().isAfter(best.modifiedAt()))) {
          best = c.get();
        }
      } catch (IOException | CliException | ApiException e) {
        // That agent is unreachable; look at the others.
      }
    }
    if (best != null) {
      return best.location();
    }
    throw new CliException(
        ExitCodes.NOT_FOUND,
        "no agent holds a sandbox of task '"
            + taskId
            + "' (pending tasks have none yet: see strata why; ended ones are removed after a while)");
  }

  private boolean ended() {
    for (TaskView t : options.client().operator().tasks()) {
      if (t.task().taskId().value().equals(taskId)) {
        return t.state().isTerminal();
      }
    }
    return true;
  }

  private record Candidate(Location location, Instant modifiedAt) {}

  /** The task's newest sandbox on one agent (the agent lists them newest first). */
  private Optional<Candidate> newestOn(String endpoint) throws IOException, InterruptedException {
    JsonNode list =
        Codec.JSON.decode(
            get(
                URI.create(
                    endpoint
                        + "/v1/sandboxes?taskId="
                        + URLEncoder.encode(taskId, StandardCharsets.UTF_8))),
            JsonNode.class);
    for (JsonNode s : list) {
      if (taskId.equals(s.path("taskId").asText())) {
        return Optional.of(
            new Candidate(
                new Location(endpoint, s.path("containerId").asText()),
                Instant.parse(s.path("modifiedAt").asText())));
      }
    }
    return Optional.empty();
  }

  private long size(String endpoint, String container, String file)
      throws IOException, InterruptedException {
    JsonNode list =
        Codec.JSON.decode(
            get(
                URI.create(
                    endpoint
                        + "/v1/sandboxes/"
                        + URLEncoder.encode(container, StandardCharsets.UTF_8)
                        + "/files/")),
            JsonNode.class);
    for (JsonNode e : list) {
      if (file.equals(e.path("name").asText())) {
        return e.path("size").asLong();
      }
    }
    return 0;
  }

  private byte[] read(String base, long offset) throws IOException, InterruptedException {
    try {
      return get(URI.create(base + "?offset=" + offset + "&length=" + CHUNK));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return new byte[0]; // not written yet
      }
      throw e;
    }
  }

  private byte[] get(URI uri) throws IOException, InterruptedException {
    HttpResponse<byte[]> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + accessToken())
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.UNREACHABLE,
          "cannot reach the agent at "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + ": "
              + e.getMessage());
    }
    if (r.statusCode() / 100 != 2) {
      throw new ApiException(
          io.strata.api.json.Problem.of(
              r.statusCode(),
              "Agent answered " + r.statusCode(),
              new String(r.body(), StandardCharsets.UTF_8)));
    }
    return r.body();
  }
}

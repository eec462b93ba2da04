package io.strata.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.client.ApiException;
import io.strata.api.json.Codec;
import io.strata.api.operator.AgentAccessGrant;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.TaskView;
import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
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
      "Given an app or job id instead, print the output of each of its current tasks, every line"
          + " prefixed with the task's id.",
      "With -f, keep printing as it grows until the task ends (Ctrl-C to stop)."
    },
    footer = {
      "%nExamples:",
      "  strata logs web.v1.k3f9q1",
      "  strata logs batch.r1.7 --stderr",
      "  strata logs web.v1.k3f9q1 -f --tail 20     # the last 20 lines, then follow",
      "  strata logs web --tail 5                   # the last 5 lines of every instance"
    })
public final class LogsCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int CHUNK = 1 << 20;

  @Mixin ClientOptions options;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "TASK|APP",
      description = "A task id (see strata ps), or an app or job id for all its tasks.")
  String taskId;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new output until the task ends.")
  boolean follow;

  @Option(names = "--stderr", description = "Print stderr instead of stdout.")
  boolean stderr;

  @Option(
      names = "--tail",
      paramLabel = "LINES",
      description = "Start this many lines before the end.")
  Integer tail;

  private HttpClient http;

  /**
   * The client for agents' endpoints: it trusts what the allocator's client trusts (the cluster CA
   * of {@code --ca-file}, {@code STRATA_CA_FILE} or the config file), for agents serving HTTPS with
   * a certificate the cluster CA issued to an agent; host names are not checked, as for the
   * allocator.
   */
  private HttpClient http() {
    if (http == null) {
      HttpClient.Builder b =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .version(HttpClient.Version.HTTP_1_1);
      javax.net.ssl.SSLContext trust =
          io.strata.cli.client.StrataClient.agentTrust(options.target());
      if (trust != null) {
        b.sslContext(trust);
      }
      http = b.build();
    }
    return http;
  }

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
    if (tail != null && tail < 0) {
      throw new CliException(ExitCodes.USAGE, "--tail: must be >= 0 (was " + tail + ")");
    }
    if (!taskId.contains(".")) {
      return LogsOfWorkload.print(this, taskId); // an app or job id: task ids hold dots
    }
    return stream(spec.commandLine().getOut());
  }

  /** The same options for another task (for {@link LogsOfWorkload}). */
  LogsCommand forTask(String id) {
    LogsCommand c = new LogsCommand();
    c.options = options;
    c.spec = spec;
    c.taskId = id;
    c.follow = follow;
    c.stderr = stderr;
    c.tail = tail;
    return c;
  }

  ClientOptions options() {
    return options;
  }

  boolean following() {
    return follow;
  }

  /** Prints this task's output to {@code target}, following it with -f. */
  int stream(PrintWriter target) throws IOException, InterruptedException {
    Location where = locate();
    String file = stderr ? "stderr" : "stdout";
    String base =
        where.endpoint()
            + "/v1/sandboxes/"
            + URLEncoder.encode(where.container(), StandardCharsets.UTF_8)
            + "/files/"
            + file;
    Utf8Out out = new Utf8Out(target);
    long offset = 0;
    if (tail != null) {
      offset = tailOffset(where, file, tail);
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
  record Location(String endpoint, String container) {}

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

  /**
   * Where the last {@code lines} lines of {@code file} start: read back from its end in blocks
   * until enough newlines are seen (a newline ending the file ends its last line, it does not start
   * another).
   */
  long tailOffset(Location where, String file, int lines) throws IOException, InterruptedException {
    long size = size(where.endpoint(), where.container(), file);
    String base = fileUrl(where, file);
    long blockStart = size;
    int block = 64 * 1024;
    java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
    while (blockStart > 0) {
      long start = Math.max(0, blockStart - block);
      byte[] data = readRange(base, start, (int) (blockStart - start));
      byte[] joined = new byte[data.length + seen.size()];
      System.arraycopy(data, 0, joined, 0, data.length);
      System.arraycopy(seen.toByteArray(), 0, joined, data.length, seen.size());
      int at = tailStart(joined, lines);
      if (at >= 0) {
        return start + at;
      }
      seen.reset();
      seen.write(joined);
      blockStart = start;
      block = Math.min(block * 2, CHUNK);
    }
    return 0;
  }

  /**
   * The index in {@code data} (the end of a file) where its last {@code lines} lines start, or -1
   * if {@code data} holds fewer (then the file has more before it, or they start at 0).
   */
  static int tailStart(byte[] data, int lines) {
    int end = data.length;
    if (end > 0 && data[end - 1] == '\n') {
      end--; // the last line's own newline
    }
    if (lines == 0) {
      return data.length;
    }
    int found = 0;
    for (int i = end - 1; i >= 0; i--) {
      if (data[i] == '\n' && ++found == lines) {
        return i + 1;
      }
    }
    return -1;
  }

  String fileUrl(Location where, String file) {
    return where.endpoint()
        + "/v1/sandboxes/"
        + URLEncoder.encode(where.container(), StandardCharsets.UTF_8)
        + "/files/"
        + file;
  }

  private byte[] readRange(String base, long offset, int length)
      throws IOException, InterruptedException {
    try {
      return get(URI.create(base + "?offset=" + offset + "&length=" + length));
    } catch (ApiException e) {
      if (e.status() == 404) {
        return new byte[0];
      }
      throw e;
    }
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
          http()
              .send(
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

package io.strata.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.client.ApiException;
import io.strata.api.json.Codec;
import io.strata.api.operator.AgentView;
import io.strata.api.operator.TaskView;
import io.strata.cli.CliException;
import io.strata.cli.ClientOptions;
import io.strata.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
    PrintStream out = System.out;
    long offset = 0;
    if (tail != null) {
      offset = Math.max(0, size(where.endpoint(), where.container(), file) - tail);
    }
    while (true) {
      byte[] data = read(base, offset);
      if (data.length > 0) {
        out.write(data);
        out.flush();
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
          out.flush();
        }
        return ExitCodes.OK;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Where a task's sandbox is: its agent's endpoint and its container id there. */
  private record Location(String endpoint, String container) {}

  /**
   * Asks the allocator which agent runs the task; a task that ended is no longer known to the
   * allocator, so then every agent is asked whether it still holds the task's sandbox.
   */
  private Location locate() throws IOException, InterruptedException {
    for (TaskView t : options.client().operator().tasks()) {
      if (t.task().taskId().value().equals(taskId) && t.agentId() != null) {
        AgentView agent = options.client().operator().agent(t.agentId());
        String container =
            agent.info().endpoint() == null ? null : containerOf(agent.info().endpoint());
        if (container != null) {
          return new Location(agent.info().endpoint(), container);
        }
      }
    }
    for (AgentView agent : options.client().operator().agents()) {
      String endpoint = agent.info().endpoint();
      if (endpoint == null) {
        continue;
      }
      try {
        String container = containerOf(endpoint);
        if (container != null) {
          return new Location(endpoint, container);
        }
      } catch (CliException e) {
        // That agent is unreachable; look at the others.
      }
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

  private String containerOf(String endpoint) throws IOException, InterruptedException {
    JsonNode tasks = Codec.JSON.decode(get(URI.create(endpoint + "/v1/tasks")), JsonNode.class);
    for (JsonNode t : tasks) {
      if (taskId.equals(t.path("taskId").asText())) {
        return t.path("containerId").asText();
      }
    }
    throw new CliException(
        ExitCodes.NOT_FOUND,
        "agent " + endpoint + " no longer holds task " + taskId + " (its sandbox was removed)");
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
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
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

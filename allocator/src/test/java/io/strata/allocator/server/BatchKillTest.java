package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Offer;
import io.strata.api.Reason;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.agent.AgentMessage;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KILL_TASKS over HTTP: many kills in one call, one message per agent; unknown tasks and another
 * framework's answered as TASK_UNKNOWN and left alone; invalid calls refused whole with field
 * paths.
 */
class BatchKillTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent node1;
  FakeAgent node2;
  FakeFramework fw;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "").start();
    node1 = allocator.agent("node-1", "cpus:8;mem:4096").register().connect();
    node2 = allocator.agent("node-2", "cpus:8;mem:4096").register().connect();
    fw = allocator.framework("web-fw", TestAllocator.WEB, "web");
  }

  @AfterEach
  void stop() {
    fw.close();
    node1.close();
    node2.close();
    allocator.close();
  }

  private List<TaskId> launch(
      FakeFramework on, FakeAgent agent, String hostname, String prefix, int n) {
    return launch(on, agent, hostname, prefix, n, 0L);
  }

  private List<TaskId> launch(
      FakeFramework on, FakeAgent agent, String hostname, String prefix, int n, long refuse) {
    Offer offer = on.awaitOffer(hostname);
    List<TaskId> ids = IntStream.range(0, n).mapToObj(i -> TaskId.of(prefix + i)).toList();
    List<TaskInfo> tasks =
        ids.stream()
            .map(id -> TaskInfo.command(id, "sleep 100", Resources.parse("cpus:0.5;mem:32")))
            .toList();
    on.client.accept(List.of(offer.id()), List.of(new Operation.Launch(tasks)), refuse);
    for (TaskId id : ids) {
      agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().equals(id));
    }
    return ids;
  }

  @Test
  void killsGoToEachAgentInOneMessageAndOnlyTheFrameworksOwnTasks() {
    try (FakeFramework other = allocator.framework("jobs", TestAllocator.BATCH, "batch")) {
      // The other framework takes its task first, then leaves the agents to web for a while.
      other.subscribe();
      TaskId theirs = launch(other, node1, "node-1", "o", 1, 3600L).get(0);
      other.client.decline(List.of(other.awaitOffer("node-2").id()), 3600);
      fw.subscribe();
      List<TaskId> on1 = launch(fw, node1, "node-1", "a", 3);
      List<TaskId> on2 = launch(fw, node2, "node-2", "b", 4);

      List<TaskId> all = new ArrayList<>(on1);
      all.addAll(on2);
      all.add(TaskId.of("ghost"));
      all.add(theirs);
      fw.client.kill(all, 2_000L);

      assertThat(fw.awaitUpdate(TaskId.of("ghost"), TaskState.LOST).reason())
          .isEqualTo(Reason.TASK_UNKNOWN);
      assertThat(fw.awaitUpdate(theirs, TaskState.LOST).reason()).isEqualTo(Reason.TASK_UNKNOWN);
      AgentMessage.KillTasks k1 = node1.await(AgentMessage.KillTasks.class, k -> true);
      AgentMessage.KillTasks k2 = node2.await(AgentMessage.KillTasks.class, k -> true);
      assertThat(k1.taskIds()).containsExactlyElementsOf(on1);
      assertThat(k2.taskIds()).containsExactlyElementsOf(on2);
      assertThat(k1.frameworkId()).isEqualTo(fw.id());
      assertThat(k1.gracePeriodMillis()).isEqualTo(2_000L);
      assertThat(k1.reason()).isEqualTo(Reason.KILLED_BY_FRAMEWORK);
      // One message per agent, none per task; the other framework's task is not touched.
      assertThat(node1.all(AgentMessage.KillTasks.class)).hasSize(1);
      assertThat(node2.all(AgentMessage.KillTasks.class)).hasSize(1);
      assertThat(node1.all(AgentMessage.KillTask.class)).isEmpty();
      assertThat(node2.all(AgentMessage.KillTask.class)).isEmpty();
      assertThat(other.all(SchedulerEvent.Update.class))
          .noneMatch(u -> u.status().state().isTerminal());

      // Killed as KILL kills: the agents' KILLED updates end them.
      for (TaskId t : on1) {
        node1.send(fw.id(), t, TaskState.KILLED);
        fw.awaitUpdate(t, TaskState.KILLED);
      }
      // A kill of tasks already ended answers with their state.
      fw.events.clear();
      fw.client.kill(List.of(on1.get(0)), null);
      fw.awaitUpdate(on1.get(0), TaskState.KILLED);
    }
  }

  @Test
  void anAgentWithoutKillTasksGetsOneKillPerTask() {
    try (FakeAgent old = allocator.agent("node-old", "cpus:8;mem:4096")) {
      old.capabilities = Set.of("docker");
      old.register().connect();
      fw.subscribe();
      List<TaskId> onOld = launch(fw, old, "node-old", "c", 3);

      fw.client.kill(onOld, 1_000L);

      for (TaskId t : onOld) {
        old.await(AgentMessage.KillTask.class, k -> k.taskId().equals(t));
      }
      assertThat(old.all(AgentMessage.KillTask.class)).hasSize(3);
      assertThat(old.all(AgentMessage.KillTasks.class)).isEmpty();
    }
  }

  @Test
  void invalidCallsAreRefusedWholeWithFieldPaths() throws Exception {
    fw.subscribe();
    List<TaskId> on1 = launch(fw, node1, "node-1", "a", 1);
    String fid = fw.id().value();

    Problem empty = post("{\"type\":\"KILL_TASKS\",\"frameworkId\":\"%s\",\"taskIds\":[]}", fid);
    assertThat(fields(empty)).containsExactly("taskIds");
    Problem nulls =
        post(
            "{\"type\":\"KILL_TASKS\",\"frameworkId\":\"%s\",\"taskIds\":[\"a0\",null],"
                + "\"gracePeriodMillis\":-1}",
            fid);
    assertThat(fields(nulls)).containsExactlyInAnyOrder("taskIds[1]", "gracePeriodMillis");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= io.strata.api.scheduler.SchedulerCall.KillTasks.MAX_TASKS; i++) {
      many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
    }
    Problem tooMany =
        post("{\"type\":\"KILL_TASKS\",\"frameworkId\":\"%s\",\"taskIds\":[" + many + "]}", fid);
    assertThat(fields(tooMany)).containsExactly("taskIds");
    // Nothing of the refused calls was done.
    assertThat(node1.all(AgentMessage.KillTasks.class)).isEmpty();
    assertThat(node1.all(AgentMessage.KillTask.class)).isEmpty();
    assertThat(allocator.operator().tasks())
        .extracting(t -> t.task().taskId())
        .contains(on1.get(0));
  }

  private static List<String> fields(Problem p) {
    return p.violations().stream().map(Violation::field).toList();
  }

  /** Posts a scheduler call that must be refused with 400; its problem. */
  private Problem post(String template, String fid) throws Exception {
    String streamId = fw.find(SchedulerEvent.Subscribed.class, s -> true).orElseThrow().streamId();
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(allocator.uri() + Paths.SCHEDULER))
            .header("Authorization", "Bearer " + TestAllocator.WEB)
            .header("Content-Type", "application/json")
            .header(Paths.STREAM_ID_HEADER, streamId)
            .POST(HttpRequest.BodyPublishers.ofString(template.formatted(fid)))
            .build();
    HttpResponse<byte[]> a = HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(a.statusCode()).isEqualTo(400);
    assertThat(a.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return Codec.JSON.decode(a.body(), Problem.class);
  }
}

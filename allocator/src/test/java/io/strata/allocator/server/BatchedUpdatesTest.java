package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.StatusAcks;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import io.strata.api.json.Violation;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.Acknowledgement;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status updates and acknowledgements in batches over HTTP ({@code POST /v1/agents/{id}/statuses},
 * ACKNOWLEDGE_UPDATES): applied in order, durable together, refused whole with field paths when any
 * entry is invalid.
 */
class BatchedUpdatesTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;
  TestAllocator allocator;
  FakeAgent agent;
  FakeFramework fw;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "").start();
    agent = allocator.agent("node-1", "cpus:8;mem:4096").register().connect();
    fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe();
  }

  @AfterEach
  void stop() {
    fw.close();
    agent.close();
    allocator.close();
  }

  private List<TaskId> launch(int n) {
    Offer offer = fw.awaitOffer("node-1");
    List<TaskId> ids = IntStream.range(0, n).mapToObj(i -> TaskId.of("t" + i)).toList();
    List<TaskInfo> tasks =
        ids.stream()
            .map(id -> TaskInfo.command(id, "sleep 100", Resources.parse("cpus:0.5;mem:32")))
            .toList();
    fw.client.accept(List.of(offer.id()), List.of(new Operation.Launch(tasks)), 0L);
    for (TaskId id : ids) {
      agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().equals(id));
    }
    return ids;
  }

  private Map<TaskId, TaskState> states() {
    return allocator.operator().tasks().stream()
        .collect(Collectors.toMap(t -> t.task().taskId(), TaskView::state));
  }

  @Test
  void aBatchOfUpdatesIsDurableForwardedInOrderAndAcknowledgedInOneCall() {
    List<TaskId> ids = launch(5);
    List<TaskStatus> batch = new ArrayList<>();
    for (TaskId id : ids) {
      batch.add(agent.status(fw.id(), id, TaskState.RUNNING, UUID.randomUUID()));
    }
    // Two updates of one task in one batch keep their order.
    batch.add(agent.status(fw.id(), ids.get(0), TaskState.FINISHED, UUID.randomUUID()));
    // A repeated uuid is a duplicate, as with single updates.
    batch.add(batch.get(1));

    StatusAcks acks = agent.client.sendStatuses(agent.id, batch);

    assertThat(acks.uuids())
        .containsExactlyElementsOf(batch.stream().map(TaskStatus::uuid).toList());
    List<TaskStatus> seen = new ArrayList<>();
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              seen.clear();
              fw.all(SchedulerEvent.Update.class).forEach(u -> seen.add(u.status()));
              return seen.size() >= 6;
            });
    assertThat(seen)
        .extracting(TaskStatus::uuid)
        .containsExactlyElementsOf(batch.subList(0, 6).stream().map(TaskStatus::uuid).toList());

    // The framework acknowledges all six in one call; the agent hears of each.
    fw.client.acknowledge(seen.stream().map(Acknowledgement::of).toList());
    for (TaskStatus s : seen) {
      agent.await(AgentMessage.Acknowledge.class, a -> a.uuid().equals(s.uuid()));
    }

    // Durable: after a restart the states are there and nothing is resent (all acknowledged).
    allocator.restart();
    Map<TaskId, TaskState> states = states();
    assertThat(states).doesNotContainKey(ids.get(0)); // FINISHED and acknowledged: forgotten
    for (TaskId id : ids.subList(1, 5)) {
      assertThat(states).containsEntry(id, TaskState.RUNNING);
    }
    FakeFramework again = allocator.framework("web-fw", TestAllocator.WEB, "web");
    again.info = fw.info;
    again.subscribe();
    try {
      again.client.reconcile(List.of(ids.get(4)));
      again.await(
          SchedulerEvent.Update.class,
          u -> u.status().taskId().equals(ids.get(4)) && u.status().uuid() == null);
      assertThat(again.all(SchedulerEvent.Update.class))
          .as("every update was acknowledged: nothing pending is resent")
          .allMatch(u -> u.status().uuid() == null);
    } finally {
      again.close();
    }
  }

  @Test
  void anInvalidUpdateRefusesTheWholeBatchWithFieldPaths() throws Exception {
    List<TaskId> ids = launch(1);
    String fid = fw.id().value();
    String ok =
        """
        {"taskId":"%s","frameworkId":"%s","state":"RUNNING","source":"AGENT",
         "uuid":"%s","timestamp":"2026-03-01T00:00:00Z"}"""
            .formatted(ids.get(0).value(), fid, UUID.randomUUID());
    String otherAgent =
        """
        {"taskId":"t0","frameworkId":"%s","agentId":"A-someone-else","state":"RUNNING",
         "source":"AGENT","uuid":"%s","timestamp":"2026-03-01T00:00:00Z"}"""
            .formatted(fid, UUID.randomUUID());
    String noUuid =
        """
        {"taskId":"t0","frameworkId":"%s","state":"RUNNING","source":"AGENT",
         "timestamp":"2026-03-01T00:00:00Z"}"""
            .formatted(fid);
    String noTaskId =
        """
        {"frameworkId":"%s","state":"RUNNING","source":"AGENT","uuid":"%s",
         "timestamp":"2026-03-01T00:00:00Z"}"""
            .formatted(fid, UUID.randomUUID());
    String body = "{\"updates\":[" + String.join(",", ok, otherAgent, noUuid, noTaskId) + "]}";

    Answer a = post(Paths.agentStatuses(agent.id.value()), agent.credential, body, null);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.violations()).contains("updates[3].taskId");
    // Decoding passed for the others; the allocator's own checks name theirs.
    Answer b =
        post(
            Paths.agentStatuses(agent.id.value()),
            agent.credential,
            "{\"updates\":[" + String.join(",", ok, otherAgent, noUuid) + "]}",
            null);
    assertThat(b.status()).isEqualTo(400);
    assertThat(b.violations()).containsExactlyInAnyOrder("updates[1].agentId", "updates[2].uuid");
    Answer empty =
        post(Paths.agentStatuses(agent.id.value()), agent.credential, "{\"updates\":[]}", null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.violations()).containsExactly("updates");
    // Nothing of the refused batches was kept: the valid update's task is still STAGING.
    assertThat(states()).containsEntry(ids.get(0), TaskState.STAGING);
    assertThat(fw.all(SchedulerEvent.Update.class)).isEmpty();

    String acks =
        """
        {"type":"ACKNOWLEDGE_UPDATES","frameworkId":"%s","updates":[
          {"taskId":"t0","uuid":"%s"},{"uuid":"%s"},{"taskId":"t0","uuid":"not-a-uuid"}]}"""
            .formatted(fid, UUID.randomUUID(), UUID.randomUUID());
    Answer c =
        post(Paths.SCHEDULER, TestAllocator.WEB, acks, Map.of(Paths.STREAM_ID_HEADER, streamId()));
    assertThat(c.status()).isEqualTo(400);
    assertThat(c.violations()).containsExactlyInAnyOrder("updates[1].taskId", "updates[2].uuid");
  }

  private String streamId() {
    return fw.find(SchedulerEvent.Subscribed.class, s -> true).orElseThrow().streamId();
  }

  record Answer(int status, Problem problem) {
    List<String> violations() {
      return problem.violations().stream().map(Violation::field).toList();
    }
  }

  private Answer post(String path, String token, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(allocator.uri() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers != null) {
      headers.forEach(b::header);
    }
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Problem p = r.statusCode() / 100 == 2 ? null : Codec.JSON.decode(r.body(), Problem.class);
    return new Answer(r.statusCode(), p);
  }
}

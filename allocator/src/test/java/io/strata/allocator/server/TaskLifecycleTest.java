package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.scheduler.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Register → offer → launch → RunTask → status → UPDATE → acknowledge, over HTTP on loopback. */
class TaskLifecycleTest {
  @TempDir Path dir;
  TestAllocator allocator;

  @BeforeEach
  void start() {
    allocator = new TestAllocator(dir, "").start();
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void aTaskGoesFromOfferToFinishedAndIsForgottenOnceAcknowledged() {
    try (FakeAgent agent = allocator.agent("node-1", "cpus:4;mem:4096").register().connect();
        FakeFramework fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe()) {
      Offer offer = fw.awaitOffer("node-1");
      assertThat(offer.resources().unreserved()).isEqualTo(Resources.parse("cpus:4;mem:4096"));
      assertThat(offer.role()).isEqualTo("web");

      TaskInfo task =
          TaskInfo.command(TaskId.of("t1"), "sleep 5", Resources.parse("cpus:1;mem:512"));
      fw.client.accept(List.of(offer.id()), List.of(new Operation.Launch(List.of(task))), 0L);

      AgentMessage.RunTask run = agent.await(AgentMessage.RunTask.class, r -> true);
      assertThat(run.task()).isEqualTo(task);
      assertThat(run.frameworkId()).isEqualTo(fw.id());

      agent.send(fw.id(), task.taskId(), TaskState.RUNNING);
      TaskStatus running = fw.awaitUpdate(task.taskId(), TaskState.RUNNING);
      fw.acknowledge(running);
      agent.await(AgentMessage.Acknowledge.class, a -> a.uuid().equals(running.uuid()));

      assertThat(allocator.operator().tasks())
          .singleElement()
          .satisfies(t -> assertThat(t.state()).isEqualTo(TaskState.RUNNING));

      agent.send(fw.id(), task.taskId(), TaskState.FINISHED);
      TaskStatus finished = fw.awaitUpdate(task.taskId(), TaskState.FINISHED);
      fw.acknowledge(finished);
      await().atMost(Duration.ofSeconds(10)).until(() -> allocator.operator().tasks().isEmpty());
    }
  }
}

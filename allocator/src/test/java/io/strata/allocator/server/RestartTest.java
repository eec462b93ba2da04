package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.FrameworkId;
import io.strata.api.Offer;
import io.strata.api.Resources;
import io.strata.api.TaskId;
import io.strata.api.TaskInfo;
import io.strata.api.TaskState;
import io.strata.api.TaskStatus;
import io.strata.api.agent.AgentMessage;
import io.strata.api.agent.ReportedTask;
import io.strata.api.client.ApiException;
import io.strata.api.operator.FrameworkView;
import io.strata.api.operator.TaskView;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of the allocator on its data directory: state back, agents and frameworks re-attach.
 */
class RestartTest {
  @TempDir Path dir;
  TestAllocator allocator;

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void agentsAndFrameworksReattachAfterARestartWithNothingLost() {
    // A small snapshot interval so recovery goes through a snapshot and a journal tail.
    allocator = new TestAllocator(dir, "snapshotEvery: 3\n").start();
    FakeAgent agent = allocator.agent("node-1", "cpus:4;mem:4096").register().connect();
    FakeFramework fw = allocator.framework("web-fw", TestAllocator.WEB, "web").subscribe();
    FrameworkId fwId = fw.id();
    Offer offer = fw.awaitOffer("node-1");
    fw.client.accept(
        List.of(offer.id()),
        List.of(
            new Operation.Launch(
                List.of(
                    TaskInfo.command(
                        TaskId.of("acked"), "sleep 1", Resources.parse("cpus:1;mem:256")),
                    TaskInfo.command(
                        TaskId.of("pending"), "sleep 1", Resources.parse("cpus:1;mem:256"))))),
        0L);
    agent.await(AgentMessage.RunTask.class, r -> r.task().taskId().value().equals("pending"));
    agent.send(fwId, TaskId.of("acked"), TaskState.RUNNING);
    fw.acknowledge(fw.awaitUpdate(TaskId.of("acked"), TaskState.RUNNING));
    agent.await(AgentMessage.Acknowledge.class, a -> a.taskId().value().equals("acked"));
    agent.send(fwId, TaskId.of("pending"), TaskState.RUNNING);
    TaskStatus unacked = fw.awaitUpdate(TaskId.of("pending"), TaskState.RUNNING);
    fw.close();
    agent.close();

    allocator.restart();

    // The agent must re-register before it may heartbeat or stream.
    assertThatThrownBy(agent::heartbeat)
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(allocator.operator().tasks())
        .extracting(TaskView::state)
        .containsExactly(TaskState.RUNNING, TaskState.RUNNING);
    assertThat(allocator.operator().frameworks())
        .singleElement()
        .satisfies(
            (FrameworkView f) -> {
              assertThat(f.id()).isEqualTo(fwId);
              assertThat(f.connected()).isFalse();
            });

    FakeAgent back = allocator.agent("node-1", "cpus:4;mem:4096");
    back.restartOf(agent);
    back.reregister(
        List.of(
            new ReportedTask(fwId, TaskId.of("acked"), TaskState.RUNNING),
            new ReportedTask(fwId, TaskId.of("pending"), TaskState.RUNNING)));
    back.connect();
    back.heartbeat();

    FakeFramework again = allocator.framework("web-fw", TestAllocator.WEB, "web");
    again.info = fw.info;
    again.subscribe();
    assertThat(again.id()).isEqualTo(fwId);
    TaskStatus resent = again.awaitUpdate(TaskId.of("pending"), TaskState.RUNNING);
    assertThat(resent.uuid()).isEqualTo(unacked.uuid());
    assertThat(again.all(SchedulerEvent.Update.class))
        .noneMatch(u -> u.status().taskId().value().equals("acked"));
    // The tasks' resources stayed allocated: what is offered is the rest.
    assertThat(again.awaitOffer("node-1").resources().unreserved())
        .isEqualTo(Resources.parse("cpus:2;mem:3584"));
    again.acknowledge(resent);
    back.await(AgentMessage.Acknowledge.class, a -> a.uuid().equals(unacked.uuid()));
    assertThat(back.all(AgentMessage.KillTask.class)).isEmpty();
    again.close();
    back.close();
  }
}

package io.strata.workloads.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.Os;
import io.strata.api.TaskId;
import io.strata.api.TaskState;
import io.strata.testkit.MutableClock;
import io.strata.workloads.core.JobRun;
import io.strata.workloads.core.RunStatus;
import io.strata.workloads.framework.SimulatedAllocator;
import io.strata.workloads.framework.SimulatedAllocator.Launched;
import io.strata.workloads.framework.TaskView;
import io.strata.workloads.spec.JobSpec;
import io.strata.workloads.spec.Specs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobsFrameworkTest {
  MutableClock clock = new MutableClock(Instant.parse("2026-01-31T12:00:00Z"));
  SimulatedAllocator allocator;
  JobsFramework jobs;

  static JobSpec job(String yaml) {
    return (JobSpec) Specs.decode("job.yaml", "kind: job\n" + yaml);
  }

  @BeforeEach
  void cluster() {
    allocator =
        new SimulatedAllocator(clock)
            .agent("a1", Os.LINUX, Map.of(), "2", "1Gi")
            .agent("a2", Os.LINUX, Map.of(), "2", "1Gi")
            .agent("a3", Os.LINUX, Map.of(), "2", "1Gi");
    jobs = new JobsFramework("jobs", clock);
    jobs.subscribed(allocator.frameworkId(), allocator, false);
    clock.advance(Duration.ofSeconds(3));
    jobs.tick(clock.instant()); // past the start-up reconciliation
  }

  /** One round: offers, launched tasks start, running tasks exit with {@code exitCode}. */
  void round(int exitCode) {
    jobs.offers(allocator.offers());
    for (Launched l : allocator.activeWith(TaskState.RUNNING)) {
      TaskState end = exitCode == 0 ? TaskState.FINISHED : TaskState.FAILED;
      jobs.update(allocator.status(l.task().taskId(), end, null, exitCode));
    }
    for (Launched l : allocator.activeWith(TaskState.STAGING)) {
      jobs.update(allocator.status(l.task().taskId(), TaskState.RUNNING, null, null));
    }
    jobs.tick(clock.instant());
  }

  @Test
  void twentyCompletionsFiveAtATime() {
    assertThat(
            jobs.submit(
                job(
                    """
                    id: batch
                    command: echo hi
                    resources: {cpus: 0.1, mem: 16Mi}
                    completions: 20
                    parallelism: 5
                    """)))
        .isEqualTo("created; run r1 started");
    int maxActive = 0;
    for (int i = 0; i < 30 && jobs.jobView("batch").activeRuns() > 0; i++) {
      round(0);
      maxActive = Math.max(maxActive, allocator.active().size());
    }
    JobRun run = jobs.jobView("batch").runs().get(0);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.succeeded()).isEqualTo(20);
    assertThat(run.failed()).isZero();
    assertThat(maxActive).isEqualTo(5);
    assertThat(allocator.store).containsKeys("job.batch", "run.batch.r1");
  }

  @Test
  void failuresAreRetriedAfterBackoffUntilTheLimit() {
    jobs.submit(
        job(
            """
            id: flaky
            command: exit 1
            resources: {mem: 16Mi}
            retries: 2
            backoff: {initialDelayMillis: 1000}
            """));
    for (int i = 0; i < 10; i++) {
      round(1);
      clock.advance(Duration.ofSeconds(5));
    }
    JobRun run = jobs.jobView("flaky").runs().get(0);
    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    assertThat(run.failed()).isEqualTo(3);
    assertThat(run.message()).contains("limit is 2 retries");
  }

  @Test
  void cronStartsRunsAndForbidSkipsWhileOneIsActive() {
    jobs.submit(
        job(
            """
            id: tick
            command: sleep 100
            resources: {mem: 16Mi}
            schedule: {cron: "*/10 * * * * *", concurrencyPolicy: FORBID}
            """));
    assertThat(jobs.jobView("tick").runs()).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    round(0); // the run starts; its task is launched and starts running (it does not end here)
    jobs.offers(allocator.offers());
    assertThat(jobs.jobView("tick").activeRuns()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(10));
    jobs.tick(clock.instant());
    assertThat(jobs.jobView("tick").activeRuns()).isEqualTo(1);
    assertThat(jobs.jobView("tick").lastSkip()).contains("FORBID");
    assertThat(jobs.jobView("tick").nextRunAt()).isEqualTo(Instant.parse("2026-01-31T12:00:30Z"));
  }

  @Test
  void replacePolicyStopsTheOldRun() {
    jobs.submit(
        job(
            """
            id: rep
            command: sleep 100
            resources: {mem: 16Mi}
            schedule: {cron: "*/10 * * * * *", concurrencyPolicy: REPLACE}
            """));
    clock.advance(Duration.ofSeconds(10));
    jobs.tick(clock.instant());
    jobs.offers(allocator.offers());
    TaskId first = allocator.active().get(0).task().taskId();
    clock.advance(Duration.ofSeconds(10));
    jobs.tick(clock.instant());
    assertThat(allocator.kills).containsExactly(first);
    List<JobRun> runs = jobs.jobView("rep").runs();
    assertThat(runs).extracting(JobRun::runId).containsExactly("r2", "r1");
    assertThat(runs.get(1).status()).isEqualTo(RunStatus.FAILED);
    assertThat(runs.get(1).message()).contains("replaced");
  }

  @Test
  void aRestartedFrameworkResumesItsRunsFromTheStore() {
    jobs.submit(
        job(
            """
            id: batch
            command: echo hi
            resources: {cpus: 0.1, mem: 16Mi}
            completions: 6
            parallelism: 3
            """));
    round(0); // 3 launched, now RUNNING
    round(0); // 3 finished, 3 more launched
    JobRun before = jobs.jobView("batch").runs().get(0);
    assertThat(before.succeeded()).isEqualTo(3);

    JobsFramework restarted = new JobsFramework("jobs", clock);
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    assertThat(allocator.reconciles.get(allocator.reconciles.size() - 2))
        .containsExactlyInAnyOrderElementsOf(before.active().stream().map(TaskId::of).toList());
    allocator.reconciliation().forEach(restarted::update);
    clock.advance(Duration.ofSeconds(3));
    restarted.tick(clock.instant());
    jobs = restarted;
    for (int i = 0; i < 10 && jobs.jobView("batch").activeRuns() > 0; i++) {
      round(0);
    }
    JobRun run = jobs.jobView("batch").runs().get(0);
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(run.succeeded()).isEqualTo(6);
  }

  @Test
  void adoptedTasksShowTheirHostAndPortsAsTheAllocatorRecordsThem() {
    jobs.submit(
        job(
            "id: web\ncommand: x\nresources: {mem: 16Mi, ports: 1}\nparallelism: 2\n"
                + "completions: 2\n"));
    round(0); // both launched, now RUNNING

    JobsFramework restarted = new JobsFramework("jobs", clock);
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    allocator.reconciliation().forEach(restarted::update);
    assertThat(restarted.tasks()).hasSize(2);
    for (TaskView t : restarted.tasks()) {
      Launched l = allocator.launched(TaskId.of(t.id()));
      assertThat(t.hostname()).isEqualTo(allocator.agentOf(l.task().taskId()).hostname());
      assertThat(t.ports()).containsExactly(l.task().resources().ports().ranges().get(0).begin());
      assertThat(t.state()).isEqualTo("RUNNING");
    }
  }

  @Test
  void aTaskTheAllocatorNeverSawIsLaunchedAfterARestart() {
    jobs.submit(job("id: one\ncommand: echo\nresources: {mem: 16Mi}\n"));
    // Crash before any offer: the run says task one.r1.0 is active, the allocator never saw it.
    JobsFramework restarted = new JobsFramework("jobs", clock);
    restarted.subscribed(allocator.frameworkId(), allocator, true);
    restarted.update(allocator.unknown(TaskId.of("one.r1.0")));
    clock.advance(Duration.ofSeconds(3));
    restarted.tick(clock.instant());
    restarted.offers(allocator.offers());
    assertThat(allocator.active())
        .extracting(l -> l.task().taskId().value())
        .containsExactly("one.r1.0");
  }

  @Test
  void historyKeepsTheLastRuns() {
    jobs.submit(job("id: h\ncommand: echo\nresources: {mem: 16Mi}\nhistoryLimit: 2\n"));
    for (int i = 0; i < 4; i++) {
      round(0);
      round(0);
      jobs.start("h");
    }
    round(0);
    round(0);
    assertThat(jobs.jobView("h").runs()).extracting(JobRun::runId).containsExactly("r5", "r4");
    assertThat(allocator.store.keySet())
        .filteredOn(k -> k.startsWith("run."))
        .containsExactlyInAnyOrder("run.h.r4", "run.h.r5");
  }

  @Test
  void workSubmittedAfterAnIdleDeclineIsOfferedAtOnce() {
    jobs.offers(allocator.offers()); // nothing waits: declined with a long filter
    jobs.submit(job("id: late\ncommand: echo\nresources: {mem: 16Mi}\n"));
    jobs.offers(allocator.offers());
    assertThat(allocator.active())
        .extracting(l -> l.task().taskId().value())
        .containsExactly("late.r1.0");
  }
}

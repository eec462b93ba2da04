package io.strata.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxesTest {
  static final FrameworkId FW = new FrameworkId("fw");
  @TempDir Path work;

  @Test
  void rotatesLogsPastTheLimitKeepingAFixedNumberOfOldOnes() throws Exception {
    Sandboxes sandboxes = new Sandboxes(work, 10, 2);
    Path sandbox = sandboxes.create(ContainerId.of("c-1"), FW, new TaskId("c"));
    Path out = Sandboxes.stdout(sandbox);
    for (String round : new String[] {"first-round", "second-round", "third-round"}) {
      Files.writeString(out, round, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      sandboxes.rotate(sandbox);
      assertThat(Files.size(out)).isZero();
    }
    Files.writeString(out, "small", StandardOpenOption.APPEND);
    sandboxes.rotate(sandbox);

    assertThat(Files.readString(out)).isEqualTo("small");
    assertThat(Files.readString(sandbox.resolve("stdout.1"))).isEqualTo("third-round");
    assertThat(Files.readString(sandbox.resolve("stdout.2"))).isEqualTo("second-round");
    assertThat(sandbox.resolve("stdout.3")).doesNotExist();
    assertThat(Sandboxes.tail(out, 3)).isEqualTo("all");
  }

  @Test
  void collectsOldSandboxesOfTasksNoLongerHeld() throws Exception {
    Sandboxes sandboxes = new Sandboxes(work, 1 << 20, 1);
    ContainerId held = ContainerId.of("held-1");
    ContainerId old = ContainerId.of("old-1");
    ContainerId fresh = ContainerId.of("fresh-1");
    for (ContainerId id : new ContainerId[] {held, old, fresh}) {
      Files.writeString(Sandboxes.stdout(sandboxes.create(id, FW, new TaskId(id.value()))), "x");
    }
    java.time.Instant now = java.time.Instant.now();
    for (ContainerId id : new ContainerId[] {held, old}) {
      Files.setLastModifiedTime(
          work.resolve(id.value()), java.nio.file.attribute.FileTime.from(now.minusSeconds(7200)));
    }

    assertThat(sandboxes.collect(java.util.Set.of(held), now.minusSeconds(3600))).isEqualTo(1);

    assertThat(work.resolve("held-1")).exists();
    assertThat(work.resolve("old-1")).doesNotExist();
    assertThat(work.resolve("fresh-1")).exists();
    assertThat(sandboxes.owners())
        .extracting(o -> o.taskId().value())
        .containsExactlyInAnyOrder("held-1", "fresh-1");
  }

  @Test
  void findsTheOwnersOfSandboxesNewestFirstAndSkipsBrokenEntries() throws Exception {
    Sandboxes sandboxes = new Sandboxes(work, 1 << 20, 1);
    ContainerId first = ContainerId.of("job-1-aaaaaaaaaaaa");
    ContainerId second = ContainerId.of("job-1-bbbbbbbbbbbb");
    ContainerId other = ContainerId.of("other-cccccccccccc");
    java.time.Instant now = java.time.Instant.now();
    int age = 3;
    for (ContainerId id : new ContainerId[] {first, other, second}) {
      sandboxes.create(id, FW, new TaskId(id == other ? "other" : "job-1"));
      Files.setLastModifiedTime(
          work.resolve(id.value()),
          java.nio.file.attribute.FileTime.from(now.minusSeconds(60L * age--)));
    }
    // An entry cut short by a crash, one whose sandbox is gone, and a stranger's file.
    Files.writeString(work.resolve(".owners/cut-dddddddddddd.json"), "{\"frameworkId\":");
    Files.createDirectories(work.resolve("cut-dddddddddddd"));
    Files.writeString(
        work.resolve(".owners/gone-eeeeeeeeeeee.json"),
        "{\"frameworkId\":\"fw\",\"taskId\":\"gone\"}");
    Files.writeString(work.resolve(".owners/notes.txt"), "hello");

    assertThat(sandboxes.owners())
        .extracting(o -> o.containerId().value())
        .containsExactly(second.value(), other.value(), first.value());
    assertThat(sandboxes.owners().get(2).frameworkId()).isEqualTo(FW);

    sandboxes.delete(first);
    assertThat(work.resolve(".owners/" + first.value() + ".json")).doesNotExist();
  }
}

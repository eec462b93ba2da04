package io.strata.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.containerizer.ContainerId;
import io.strata.agent.state.StateFiles;
import io.strata.api.FrameworkId;
import io.strata.api.TaskId;
import io.strata.host.DurableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's state is owner-only: written so, and tightened when an older agent left it open. */
class StateFilesTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static Path open(Path p, String content) throws Exception {
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(p.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void anOldLayoutIsTightenedOnStart() throws Exception {
    Path work = tmp.resolve("agent");
    Path record = open(work.resolve("meta/tasks/t-1.json"), "{\"env\":{\"SECRET\":\"s\"}}");
    Path agentId = open(work.resolve("meta/agent-id"), "agent-1");
    Path update = open(work.resolve("outbox/0001.json"), "{}");
    Path environment = open(work.resolve("linux/t-1/environment"), "{}");
    Path owner = open(work.resolve("sandboxes/.owners/t-1.json"), "{}");
    Path log = open(work.resolve("sandboxes/t-1/stdout"), "task output");
    Path config = open(work.resolve("agent.yaml"), "joinToken: t");

    StateFiles.prepare(work);

    assertThat(mode(work)).isEqualTo("rwx--x--x");
    assertThat(mode(work.resolve("sandboxes"))).isEqualTo("rwx--x--x");
    for (Path dir :
        new Path[] {
          work.resolve("meta"),
          work.resolve("meta/tasks"),
          work.resolve("outbox"),
          work.resolve("linux"),
          work.resolve("linux/t-1"),
          work.resolve("sandboxes/.owners"),
          work.resolve("sandboxes/t-1")
        }) {
      assertThat(mode(dir)).as(dir.toString()).isEqualTo("rwx------");
    }
    for (Path file : new Path[] {record, agentId, update, environment, owner, config}) {
      assertThat(mode(file)).as(file.toString()).isEqualTo("rw-------");
    }
    assertThat(mode(log)).as("a task's own file is its business").isEqualTo("rw-r--r--");
  }

  @Test
  void aFreshWorkDirIsLaidOutWithItsModes() throws Exception {
    Path work = tmp.resolve("fresh");
    StateFiles.prepare(work);
    assertThat(mode(work)).isEqualTo("rwx--x--x");
    assertThat(mode(work.resolve("meta"))).isEqualTo("rwx------");
    assertThat(mode(work.resolve("outbox"))).isEqualTo("rwx------");
    assertThat(mode(work.resolve("sandboxes"))).isEqualTo("rwx--x--x");
  }

  @Test
  void recordsDurableFilesAndSandboxesAreCreatedOwnerOnly() throws Exception {
    Path work = tmp.resolve("agent");
    StateFiles.prepare(work);
    new TaskStore(work.resolve("meta/tasks"));
    assertThat(mode(work.resolve("meta/tasks"))).isEqualTo("rwx------");

    Path target = work.resolve("meta/new/dir/file");
    DurableFiles.write(target, new byte[] {1});
    assertThat(mode(target)).isEqualTo("rw-------");
    assertThat(mode(work.resolve("meta/new"))).isEqualTo("rwx------");
    assertThat(mode(work.resolve("meta/new/dir"))).isEqualTo("rwx------");
    // A temporary file a crash left open is not reused with its mode.
    Path id = work.resolve("meta/agent-id");
    open(id.resolveSibling(".agent-id.tmp"), "old");
    DurableFiles.write(id, new byte[] {1});
    assertThat(mode(id)).isEqualTo("rw-------");
    DurableFiles.write(work.resolve("outbox/u.json"), new byte[] {1}, false);
    assertThat(mode(work.resolve("outbox/u.json"))).isEqualTo("rw-------");

    Sandboxes sandboxes = new Sandboxes(work.resolve("sandboxes"), 4, 2);
    Path sandbox = sandboxes.create(ContainerId.of("t-2"), FrameworkId.of("fw"), TaskId.of("t"));
    assertThat(mode(sandbox)).isEqualTo("rwx------");
    assertThat(mode(work.resolve("sandboxes/.owners"))).isEqualTo("rwx------");
    assertThat(mode(work.resolve("sandboxes/.owners/t-2.json"))).isEqualTo("rw-------");
  }

  @Test
  void aRotatedLogKeepsTheOwnerAndModeOfTheLog() throws Exception {
    Sandboxes sandboxes = new Sandboxes(tmp.resolve("sandboxes"), 4, 2);
    Path sandbox = sandboxes.create(ContainerId.of("t-3"), FrameworkId.of("fw"), TaskId.of("t"));
    Path out = Files.writeString(Sandboxes.stdout(sandbox), "more than four bytes");
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
    sandboxes.rotate(sandbox);
    Path rotated = sandbox.resolve("stdout.1");
    assertThat(Files.readString(rotated)).isEqualTo("more than four bytes");
    assertThat(mode(rotated)).isEqualTo("rw-r-----");
    assertThat(Files.getOwner(rotated)).isEqualTo(Files.getOwner(out));
  }
}

package io.strata.allocator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.AgentId;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedJournalTest {
  @TempDir Path dir;

  private static List<StateEvent> upsert(String agent) {
    return List.of(new StateEvent.AgentUpserted(StateEvents.agent(agent)));
  }

  private EmbeddedJournal open(int snapshotEvery) {
    EmbeddedJournal j = new EmbeddedJournal(dir, snapshotEvery);
    j.recover();
    return j;
  }

  private static List<String> agentIds(StateSnapshot s) {
    return s.agents().stream().map(a -> a.id().value()).toList();
  }

  private List<Path> files(String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  @Test
  void appendedBatchesSurviveAReopen() {
    try (EmbeddedJournal j = open(1000)) {
      j.append(upsert("a1")).join();
      j.append(upsert("a2")).join();
    }
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 1000)) {
      assertThat(agentIds(j.recover())).containsExactly("a1", "a2");
    }
  }

  @Test
  void concurrentAppendsCompleteInOrderAndAllArePersisted() {
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    List<Integer> completionOrder = java.util.Collections.synchronizedList(new ArrayList<>());
    try (EmbeddedJournal j = open(7)) {
      for (int i = 0; i < 200; i++) {
        int n = i;
        futures.add(j.append(upsert("a" + i)).thenRun(() -> completionOrder.add(n)));
      }
      futures.forEach(CompletableFuture::join);
    }
    assertThat(completionOrder).isSorted().hasSize(200);
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 7)) {
      assertThat(j.recover().agents()).hasSize(200);
    }
  }

  @Test
  void aTornLastRecordIsTruncatedAndTheJournalGoesOn() throws IOException {
    try (EmbeddedJournal j = open(1000)) {
      j.append(upsert("a1")).join();
      j.append(upsert("a2")).join();
    }
    Path segment = files("journal-").get(0);
    long whole = Files.size(segment);
    // A crash in the middle of a third write: header and half a payload.
    byte[] partial = RecordFormat.frame(3, "{\"events\":[]}".getBytes()).array();
    Files.write(segment, java.util.Arrays.copyOf(partial, 20), StandardOpenOption.APPEND);

    try (EmbeddedJournal j = new EmbeddedJournal(dir, 1000)) {
      assertThat(agentIds(j.recover())).containsExactly("a1", "a2");
      assertThat(Files.size(segment)).isEqualTo(whole);
      j.append(upsert("a3")).join();
    }
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 1000)) {
      assertThat(agentIds(j.recover())).containsExactly("a1", "a2", "a3");
    }
  }

  @Test
  void aLastRecordWithABadChecksumIsDroppedAsTorn() throws IOException {
    try (EmbeddedJournal j = open(1000)) {
      j.append(upsert("a1")).join();
      j.append(upsert("a2")).join();
    }
    Path segment = files("journal-").get(0);
    flipByte(segment, Files.size(segment) - 3);
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 1000)) {
      assertThat(agentIds(j.recover())).containsExactly("a1");
    }
  }

  @Test
  void zerosAfterTheLastRecordAreATornTail() throws IOException {
    try (EmbeddedJournal j = open(1000)) {
      j.append(upsert("a1")).join();
    }
    Path segment = files("journal-").get(0);
    long whole = Files.size(segment);
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND);
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 1000)) {
      assertThat(agentIds(j.recover())).containsExactly("a1");
    }
    assertThat(Files.size(segment)).isEqualTo(whole);
  }

  @Test
  void aBadChecksumFollowedByDataIsCorruptionNotATornWrite() throws IOException {
    try (EmbeddedJournal j = open(1000)) {
      j.append(upsert("a1")).join();
      j.append(upsert("a2")).join();
      j.append(upsert("a3")).join();
    }
    Path segment = files("journal-").get(0);
    flipByte(segment, RecordFormat.MAGIC_BYTES + RecordFormat.HEADER_BYTES + 5);
    long size = Files.size(segment);
    EmbeddedJournal j = new EmbeddedJournal(dir, 1000);
    assertThatThrownBy(j::recover)
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("corrupt at byte " + RecordFormat.MAGIC_BYTES)
        .hasMessageContaining("checksum mismatch");
    j.close();
    assertThat(Files.size(segment)).as("nothing is truncated on corruption").isEqualTo(size);
  }

  @Test
  void snapshotsReplaceTheSegmentsTheyCover() throws IOException {
    try (EmbeddedJournal j = open(3)) {
      for (int i = 0; i < 10; i++) {
        j.append(upsert("a" + i)).join();
      }
    }
    // Snapshots run in the background, so which records the last one covers depends on timing;
    // after close exactly one is left, and no segment it covers.
    assertThat(files("snapshot-")).hasSize(1);
    long covered =
        Long.parseLong(files("snapshot-").get(0).getFileName().toString().substring(9, 29));
    assertThat(covered).isBetween(3L, 10L);
    assertThat(files("journal-"))
        .allSatisfy(
            p ->
                assertThat(Long.parseLong(p.getFileName().toString().substring(8, 28)))
                    .isGreaterThan(covered));
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 3)) {
      assertThat(j.recover().agents()).hasSize(10);
    }
  }

  @Test
  void filesArePrivateToTheOwner() throws IOException {
    try (EmbeddedJournal j = open(1)) {
      j.append(upsert("a1")).join();
    }
    assertThat(Files.getPosixFilePermissions(dir))
        .containsExactlyInAnyOrder(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_EXECUTE);
    for (Path f : files("")) {
      if (!f.getFileName().toString().equals("LOCK")) {
        assertThat(Files.getPosixFilePermissions(f))
            .as(f.toString())
            .containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      }
    }
  }

  @Test
  void aSecondJournalCannotOpenTheSameDirectory() {
    EmbeddedJournal first = open(10);
    try {
      EmbeddedJournal other = new EmbeddedJournal(dir, 10);
      assertThatThrownBy(other::recover)
          .isInstanceOf(StateStoreException.class)
          .hasMessageContaining("in use");
    } finally {
      first.close();
    }
  }

  @Test
  void appendsAfterCloseFail() {
    EmbeddedJournal j = open(10);
    j.close();
    assertThat(j.append(upsert("a1"))).isCompletedExceptionally();
  }

  @Test
  void eventsForUnknownThingsAreIgnoredOnReplayToo() {
    try (EmbeddedJournal j = open(2)) {
      j.append(List.of(new StateEvent.AgentRemoved(AgentId.of("a1"), StateEvents.T0))).join();
      j.append(upsert("a1")).join();
      j.append(List.of()).join();
    }
    try (EmbeddedJournal j = new EmbeddedJournal(dir, 2)) {
      StateSnapshot s = j.recover();
      assertThat(s.agents()).isEmpty();
      assertThat(s.goneAgents()).containsExactly(new GoneAgent(AgentId.of("a1"), StateEvents.T0));
    }
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
  }
}

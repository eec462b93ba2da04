package io.strata.allocator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.json.Codec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class JournalReplayProperties {

  @Provide
  Arbitrary<List<List<StateEvent>>> batches() {
    return StateEvents.events().list().ofMaxSize(4).list().ofMaxSize(40);
  }

  @Property(tries = 60)
  void replayingTheJournalGivesTheStateThatWasWritten(
      @ForAll("batches") @Size(max = 40) List<List<StateEvent>> batches,
      @ForAll @IntRange(min = 1, max = 6) int snapshotEvery)
      throws IOException {
    Path dir = Files.createTempDirectory("journal-prop");
    try {
      DurableState expected = new DurableState();
      try (EmbeddedJournal j = new EmbeddedJournal(dir, snapshotEvery)) {
        j.recover();
        for (List<StateEvent> batch : batches) {
          batch.forEach(expected::apply);
          j.append(batch).join();
        }
      }
      try (EmbeddedJournal j = new EmbeddedJournal(dir, snapshotEvery)) {
        assertThat(j.recover()).isEqualTo(expected.snapshot());
      }
    } finally {
      deleteTree(dir);
    }
  }

  @Property(tries = 100)
  void aSnapshotReadsBackAsTheSameState(@ForAll("batches") List<List<StateEvent>> batches)
      throws IOException {
    DurableState state = new DurableState();
    batches.forEach(b -> b.forEach(state::apply));
    StateSnapshot snapshot = state.snapshot();
    byte[] json = Codec.JSON.mapper().writeValueAsBytes(snapshot);
    StateSnapshot back = Codec.JSON.mapper().readValue(json, StateSnapshot.class);
    assertThat(back).isEqualTo(snapshot);
    assertThat(DurableState.of(back).snapshot()).isEqualTo(snapshot);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

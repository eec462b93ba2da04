package io.strata.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressSinkTest {
  private static String run(boolean terminal) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ProgressSink sink = new ProgressSink("apply demo", err, terminal)) {
      sink.emit(new ApplyEvent(ApplyEvent.SUMMARY, null, null, null, "2 steps. Plan: 2 to add"));
      sink.emit(
          new ApplyEvent(
              ApplyEvent.COMPLETE, "network.demo", "create", Duration.ofMillis(1500), null));
      sink.emit(new ApplyEvent(ApplyEvent.ERRORED, "node.demo-linux-0", "create", null, "quota"));
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void intoAPipeEachStepIsOnePlainLine() {
    assertThat(run(false))
        .doesNotContain("\r")
        .contains("apply demo: network.demo created (1.5 s) [1/2]\n")
        .contains("strata: error: node.demo-linux-0: quota\n");
  }

  @Test
  void onATerminalTheBarRedrawsItself() {
    assertThat(run(true)).contains("\r").contains("apply demo");
  }
}

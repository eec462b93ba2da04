package io.strata.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.api.Resources;
import io.strata.api.TaskInfo;
import io.strata.api.scheduler.Operation;
import io.strata.api.scheduler.SchedulerCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecTest {

  private static List<Violation> violations(Runnable decode) {
    try {
      decode.run();
    } catch (ValidationException e) {
      return e.violations();
    }
    throw new AssertionError("expected a ValidationException");
  }

  @Test
  void reportsEveryViolationWithItsFieldPath() {
    String body =
        """
        {"type":"ACCEPT","frameworkId":"f1","offerIds":["o1"],
         "operations":[{"type":"LAUNCH","tasks":[
            {"taskId":"t1","command":{"shell":"sleep 1"},
             "resources":{"millicpus":-5,"memoryBytes":"lots"}},
            {"taskId":"bad id!","command":{"shell":"true"},"resources":{"millicpus":100},
             "colour":"blue"}]}],
         "refuseSeconds":-1}
        """;
    List<Violation> v = violations(() -> Codec.JSON.decode(body, SchedulerCall.class));
    assertThat(v)
        .extracting(Violation::field)
        .contains(
            "operations[0].tasks[0].resources.millicpus",
            "operations[0].tasks[0].resources.memoryBytes",
            "operations[0].tasks[1].taskId",
            "operations[0].tasks[1].colour",
            "refuseSeconds");
    assertThat(v)
        .filteredOn(x -> x.field().equals("operations[0].tasks[1].colour"))
        .extracting(Violation::message)
        .containsExactly("unknown field");
  }

  @Test
  void missingAndUnknownTypeDiscriminators() {
    assertThat(violations(() -> Codec.JSON.decode("{\"frameworkId\":\"f\"}", SchedulerCall.class)))
        .extracting(Violation::field)
        .containsExactly("type");
    List<Violation> v =
        violations(() -> Codec.JSON.decode("{\"type\":\"EXPLODE\"}", SchedulerCall.class));
    assertThat(v).extracting(Violation::field).containsExactly("type");
    assertThat(v.get(0).message()).contains("EXPLODE").contains("ACCEPT");
  }

  @Test
  void syntaxErrorsSayWhere() {
    List<Violation> v =
        violations(() -> Codec.JSON.decode("{\"millicpus\": 5,,}", Resources.class));
    assertThat(v).hasSize(1);
    assertThat(v.get(0).message()).contains("syntax error").contains("line 1");
  }

  @Test
  void yamlUsesTheSamePaths() {
    String yaml =
        """
        taskId: web-1
        command:
          shell: ""
        resources:
          millicpus: 100
          memoryBytes: -1
        """;
    List<Violation> v = violations(() -> Codec.YAML.decode(yaml, TaskInfo.class));
    assertThat(v).extracting(Violation::field).contains("command", "resources.memoryBytes");
  }

  @Test
  void roundTripsPolymorphicCalls() {
    SchedulerCall call =
        new SchedulerCall.Accept(
            io.strata.api.FrameworkId.of("f"),
            List.of(io.strata.api.OfferId.of("o")),
            List.of(new Operation.Reserve("eng/web", Resources.of(1000, 1 << 20))),
            null);
    String json = Codec.JSON.encode(call);
    assertThat(json).contains("\"type\":\"ACCEPT\"").contains("\"type\":\"RESERVE\"");
    assertThat(Codec.JSON.decode(json, SchedulerCall.class)).isEqualTo(call);
  }

  @Test
  void emptyAndOversizedDocumentsAreRefused() {
    assertThatThrownBy(() -> Codec.JSON.decode("", Resources.class))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> Codec.JSON.decode("null", Resources.class))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("required");
    byte[] big = new byte[Codec.MAX_DOCUMENT_BYTES + 1];
    assertThatThrownBy(() -> Codec.JSON.decode(big, Resources.class)).hasMessageContaining("limit");
  }

  @Test
  void commandsSurviveARoundTrip() {
    io.strata.api.CommandInfo shell = io.strata.api.CommandInfo.shell("sleep 100");
    assertThat(Codec.JSON.decode(Codec.JSON.encode(shell), io.strata.api.CommandInfo.class))
        .isEqualTo(shell);
    io.strata.api.CommandInfo argv = io.strata.api.CommandInfo.argv("/bin/echo", "hi");
    assertThat(Codec.JSON.decode(Codec.JSON.encode(argv), io.strata.api.CommandInfo.class))
        .isEqualTo(argv);
  }
}

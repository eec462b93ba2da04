package io.strata.agent.containerizer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.strata.api.TaskId;
import io.strata.api.json.Checks;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Names one run of a task on one agent. Chosen by agent-core, never by a framework, and safe as a
 * file name, a cgroup name, a Docker container name and a Windows Job Object name: {@code
 * [A-Za-z0-9][A-Za-z0-9_.-]{0,79}}. A task relaunched on the same agent gets a new id.
 */
public record ContainerId(@JsonValue String value) implements Comparable<ContainerId> {
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,79}");
  private static final int TASK_PART = 48;

  @JsonCreator
  public ContainerId {
    new Checks()
        .notBlank("", value)
        .matches("", value, SHAPE, "a container id uses letters, digits and _.- (at most 80)")
        .done();
  }

  public static ContainerId of(String value) {
    return new ContainerId(value);
  }

  /** A readable id for a run of {@code task}: its id, sanitized and cut, plus 12 hex digits. */
  public static ContainerId forTask(TaskId task, UUID run) {
    StringBuilder b = new StringBuilder();
    for (char ch : task.value().toCharArray()) {
      if (b.length() == TASK_PART) {
        break;
      }
      boolean plain =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '_'
              || ch == '.'
              || ch == '-';
      b.append(plain ? ch : '_');
    }
    String hex = run.toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    return new ContainerId(b + "-" + hex);
  }

  @Override
  public int compareTo(ContainerId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}

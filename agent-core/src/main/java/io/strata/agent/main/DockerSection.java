package io.strata.agent.main;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.strata.api.json.Checks;
import java.util.List;
import java.util.Locale;

/**
 * The {@code docker} section of both agents' config files.
 *
 * @param mode on: containers are required (the agent refuses to start without an engine it can
 *     use); auto: used if the engine answers at start; off: never
 * @param host the engine's address; null until the platform fills in its default ({@link
 *     #withDefaultHost})
 */
public record DockerSection(Mode mode, String host) {
  /** See {@link DockerSection}. */
  public enum Mode {
    AUTO,
    ON,
    OFF;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts auto, on, off in any case. */
    @JsonCreator
    public static Mode parse(String text) {
      for (Mode m : values()) {
        if (m.name().equalsIgnoreCase(text)) {
          return m;
        }
      }
      throw new IllegalArgumentException("must be one of [auto, on, off] (was '" + text + "')");
    }
  }

  public DockerSection {
    mode = mode == null ? Mode.AUTO : mode;
  }

  /**
   * This section as a platform reads it: {@code defaultHost} when none is set, and a host whose
   * scheme is one of {@code schemes} (else a violation of {@code docker.host} saying {@code
   * expected}). {@code section} may be null (the file has no {@code docker}).
   */
  public static DockerSection withDefaultHost(
      DockerSection section, String defaultHost, List<String> schemes, String expected) {
    DockerSection s = section == null ? new DockerSection(null, null) : section;
    String host = s.host() == null ? defaultHost : s.host();
    new Checks()
        .require(
            schemes.stream().anyMatch(host::startsWith),
            "docker.host",
            "must be " + expected + " (was '" + host + "')")
        .done();
    return new DockerSection(s.mode(), host);
  }
}

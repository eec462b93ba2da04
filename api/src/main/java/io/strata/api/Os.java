package io.strata.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The operating system of an agent, and the one a task needs. */
public enum Os {
  LINUX,
  WINDOWS;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts {@code linux} / {@code windows} in any case. */
  @JsonCreator
  public static Os parse(String text) {
    for (Os os : values()) {
      if (os.name().equalsIgnoreCase(text)) {
        return os;
      }
    }
    throw new IllegalArgumentException("must be one of [linux, windows] (was '" + text + "')");
  }
}

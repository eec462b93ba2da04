package io.strata.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.strata.api.json.Codec;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/** Prints values as JSON or YAML (whole, for programs), or lets the command draw a table. */
public final class Printer {
  private final Format format;
  private final PrintWriter out;

  public Printer(Format format, PrintWriter out) {
    this.format = format;
    this.out = out;
  }

  public boolean isTable() {
    return format == Format.TABLE;
  }

  public PrintWriter out() {
    return out;
  }

  /**
   * Prints {@code value} as JSON or YAML; returns false (printing nothing) for the table format.
   */
  public boolean structured(Object value) {
    switch (format) {
      case JSON -> {
        try {
          out.println(
              Codec.JSON.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot print " + value.getClass().getSimpleName(), e);
        }
      }
      case YAML -> out.print(Codec.YAML.encode(value));
      case TABLE -> {
        return false;
      }
    }
    out.flush();
    return true;
  }

  /** {@code 5s}, {@code 3m}, {@code 2h}, {@code 4d}: how long ago. */
  public static String age(Instant since, Instant now) {
    if (since == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(since, now).getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    if (s < 172_800) {
      return s / 3600 + "h";
    }
    return s / 86_400 + "d";
  }
}

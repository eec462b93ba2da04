package io.strata.workloads.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads app and job documents (YAML, or JSON — a {@code .json} file name picks the JSON codec) and
 * reports every problem with its field path: syntax errors with line and column, unknown fields,
 * wrong types, missing fields, invalid values.
 */
public final class Specs {
  private Specs() {}

  /** Decodes a document whose {@code kind} says what it is. */
  public static WorkloadSpec decode(String fileName, byte[] bytes) {
    Codec codec = codecFor(fileName);
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      throw new ValidationException("", "the document is empty");
    }
    JsonNode tree = codec.decode(bytes, JsonNode.class);
    if (!tree.isObject()) {
      throw new ValidationException(
          "",
          "expected an object with kind, id, ... (was "
              + tree.getNodeType().name().toLowerCase(Locale.ROOT)
              + ")");
    }
    JsonNode kind = tree.get("kind");
    if (kind == null || kind.isNull()) {
      throw new ValidationException(
          "kind", "is required: '" + WorkloadSpec.SERVICE + "' or '" + WorkloadSpec.JOB + "'");
    }
    return switch (kind.asText()) {
      case WorkloadSpec.SERVICE -> codec.decode(bytes, AppSpec.class);
      case WorkloadSpec.JOB -> codec.decode(bytes, JobSpec.class);
      default ->
          throw new ValidationException(
              "kind",
              "must be '"
                  + WorkloadSpec.SERVICE
                  + "' or '"
                  + WorkloadSpec.JOB
                  + "' (was '"
                  + kind.asText()
                  + "')");
    };
  }

  public static WorkloadSpec decode(String fileName, String text) {
    return decode(fileName, text.getBytes(StandardCharsets.UTF_8));
  }

  public static AppSpec decodeApp(byte[] json) {
    return Codec.JSON.decode(json, AppSpec.class);
  }

  public static JobSpec decodeJob(byte[] json) {
    return Codec.JSON.decode(json, JobSpec.class);
  }

  private static Codec codecFor(String fileName) {
    return fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".json")
        ? Codec.JSON
        : Codec.YAML;
  }
}

package io.strata.workloads.spec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.json.Codec;
import io.strata.api.json.Suggestions;
import io.strata.api.json.ValidationException;
import io.strata.api.json.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads app and job documents (YAML, or JSON — a {@code .json} file name picks the JSON codec) and
 * reports every problem with its field path: syntax errors with line and column, unknown fields,
 * wrong types, missing fields, invalid values.
 */
public final class Specs {
  private Specs() {}

  /** The fields only a job has: a document without a kind that has one is checked as a job. */
  private static final List<String> JOB_ONLY =
      List.of(
          "completions",
          "parallelism",
          "retries",
          "backoff",
          "activeDeadlineMillis",
          "schedule",
          "historyLimit");

  /**
   * Decodes a document whose {@code kind} says what it is. A top-level {@code status} (what {@code
   * strata apps APP -o yaml} prints beside the spec) is ignored, as {@code kubectl apply} ignores
   * it, so such output can be applied again. A missing or misspelt {@code kind} is reported
   * together with everything else wrong: the document is checked as the kind it most likely meant.
   */
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
    if (tree.has("status")) {
      ObjectNode spec = ((ObjectNode) tree).deepCopy();
      spec.remove("status");
      tree = spec;
      bytes = Codec.JSON.encodeBytes(spec);
      codec = Codec.JSON;
    }
    JsonNode kind = tree.get("kind");
    String k = kind == null || kind.isNull() ? null : kind.asText();
    if (WorkloadSpec.SERVICE.equals(k)) {
      return codec.decode(bytes, AppSpec.class);
    }
    if (WorkloadSpec.JOB.equals(k)) {
      return codec.decode(bytes, JobSpec.class);
    }
    String meant = likelyKind(k, tree);
    String forms = "'" + WorkloadSpec.SERVICE + "' or '" + WorkloadSpec.JOB + "'";
    List<Violation> all = new ArrayList<>();
    all.add(
        new Violation(
            "kind",
            (k == null ? "is required: " + forms : "must be " + forms + " (was '" + k + "')")
                + "; the rest is checked as a "
                + meant));
    ObjectNode asMeant = ((ObjectNode) tree).deepCopy();
    asMeant.put("kind", meant);
    try {
      Codec.JSON.decode(
          Codec.JSON.encodeBytes(asMeant),
          (Class<? extends WorkloadSpec>)
              (meant.equals(WorkloadSpec.JOB) ? JobSpec.class : AppSpec.class));
    } catch (ValidationException e) {
      e.violations().stream().filter(v -> !v.field().equals("kind")).forEach(all::add);
    }
    throw new ValidationException(all);
  }

  /** The closest kind to a misspelt one; without one, a job if a job-only field is set. */
  private static String likelyKind(String typed, JsonNode tree) {
    List<String> kinds = List.of(WorkloadSpec.SERVICE, WorkloadSpec.JOB);
    if (typed != null) {
      var close = Suggestions.closest(typed, kinds);
      if (close.isPresent()) {
        return close.get();
      }
    }
    return JOB_ONLY.stream().anyMatch(tree::has) ? WorkloadSpec.JOB : WorkloadSpec.SERVICE;
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

  /**
   * A spec as a plain tree of maps, lists and values, with its defaults filled in: what {@link
   * io.strata.workloads.core.SpecDiff} compares.
   */
  public static Map<String, Object> tree(WorkloadSpec spec) {
    return Codec.JSON.mapper().convertValue(spec, TREE);
  }

  private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};

  private static Codec codecFor(String fileName) {
    return fileName != null && fileName.toLowerCase(Locale.ROOT).endsWith(".json")
        ? Codec.JSON
        : Codec.YAML;
  }
}

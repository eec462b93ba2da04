package io.strata.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Request bodies from the OpenAPI document: a well-formed instance of an operation's schema (its
 * {@code example} where it has one), and the field paths in it that a mutation can aim at.
 */
final class RequestBodies {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 5;

  private final JsonNode components;

  RequestBodies(JsonNode document) {
    this.components = document.path("components").path("schemas");
  }

  /** An instance of the operation's body schema, or null if it takes no body. */
  JsonNode valid(JsonNode operation, int variant) {
    JsonNode media = operation.path("requestBody").path("content").path("application/json");
    if (media.isMissingNode()) {
      return null;
    }
    if (media.has("example")) {
      return media.get("example").deepCopy();
    }
    return instance(media.path("schema"), variant, 0);
  }

  private JsonNode instance(JsonNode schema, int variant, int depth) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
      return instance(components.path(name), variant, depth);
    }
    if (schema.has("oneOf")) {
      JsonNode choices = schema.get("oneOf");
      return instance(choices.get(Math.floorMod(variant, choices.size())), variant / 7, depth);
    }
    if (schema.has("enum")) {
      JsonNode values = schema.get("enum");
      return values.get(Math.floorMod(variant, values.size())).deepCopy();
    }
    String type = schema.path("type").asText("object");
    return switch (type) {
      case "string" -> F.textNode("a1");
      case "integer" -> F.numberNode(1);
      case "number" -> F.numberNode(1.5);
      case "boolean" -> F.booleanNode(true);
      case "array" -> {
        ArrayNode a = F.arrayNode();
        if (depth < MAX_DEPTH) {
          a.add(instance(schema.path("items"), variant, depth + 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = F.objectNode();
        if (depth < MAX_DEPTH) {
          for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext(); ) {
            String field = it.next();
            o.set(field, instance(schema.path("properties").path(field), variant, depth + 1));
          }
        }
        yield o;
      }
    };
  }

  /** Every field path in {@code node}, in the problem's syntax: {@code a.b[0].c}. */
  static List<String> paths(JsonNode node) {
    List<String> out = new ArrayList<>();
    collect(node, "", out);
    return out;
  }

  private static void collect(JsonNode node, String prefix, List<String> out) {
    if (node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        String path = prefix.isEmpty() ? f : prefix + "." + f;
        out.add(path);
        collect(node.get(f), path, out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String path = prefix + "[" + i + "]";
        out.add(path);
        collect(node.get(i), path, out);
      }
    }
  }

  /** Replaces (or, with a null value, removes) the field at {@code path}; returns the root. */
  static JsonNode replace(JsonNode root, String path, JsonNode value) {
    List<String> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      if (bracket != 0 && !part.isEmpty()) {
        steps.add(bracket < 0 ? part : part.substring(0, bracket));
      }
      for (int i = part.indexOf('['); i >= 0; i = part.indexOf('[', i + 1)) {
        steps.add(part.substring(i, part.indexOf(']', i) + 1));
      }
    }
    JsonNode parent = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      parent = step(parent, steps.get(i));
    }
    String last = steps.get(steps.size() - 1);
    if (last.startsWith("[")) {
      int index = Integer.parseInt(last.substring(1, last.length() - 1));
      if (value == null) {
        ((ArrayNode) parent).remove(index);
      } else {
        ((ArrayNode) parent).set(index, value);
      }
    } else if (value == null) {
      ((ObjectNode) parent).remove(last);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
    return root;
  }

  private static JsonNode step(JsonNode node, String step) {
    return step.startsWith("[")
        ? node.get(Integer.parseInt(step.substring(1, step.length() - 1)))
        : node.get(step);
  }
}

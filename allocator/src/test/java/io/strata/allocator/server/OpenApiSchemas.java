package io.strata.allocator.server;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.Os;
import io.strata.api.PortRange;
import io.strata.api.PortRanges;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Derives the OpenAPI component schemas of the wire types from the api records, the way Jackson (as
 * {@code Codec} configures it) writes them. The OpenAPI test compares the document's schemas with
 * these, so the document cannot drift from the code.
 */
final class OpenApiSchemas {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final TreeMap<String, ObjectNode> schemas = new TreeMap<>();
  private final Deque<Class<?>> pending = new ArrayDeque<>();

  static ObjectNode of(List<Class<?>> roots) {
    OpenApiSchemas g = new OpenApiSchemas();
    roots.forEach(g::ref);
    while (!g.pending.isEmpty()) {
      g.define(g.pending.pop());
    }
    ObjectNode out = F.objectNode();
    g.schemas.forEach(out::set);
    return out;
  }

  static String name(Class<?> type) {
    Class<?> outer = type.getEnclosingClass();
    return outer == null ? type.getSimpleName() : outer.getSimpleName() + type.getSimpleName();
  }

  private ObjectNode ref(Class<?> type) {
    String name = name(type);
    if (!schemas.containsKey(name) && !pending.contains(type)) {
      schemas.put(name, F.objectNode());
      pending.push(type);
    }
    return F.objectNode().put("$ref", "#/components/schemas/" + name);
  }

  private void define(Class<?> type) {
    ObjectNode s = F.objectNode();
    if (type.isEnum()) {
      s.put("type", "string");
      ArrayNode values = s.putArray("enum");
      for (Object c : type.getEnumConstants()) {
        values.add(type == Os.class ? ((Os) c).wire() : ((Enum<?>) c).name());
      }
    } else if (type.isSealed() && type.isAnnotationPresent(JsonSubTypes.class)) {
      String property = type.getAnnotation(JsonTypeInfo.class).property();
      ArrayNode oneOf = s.putArray("oneOf");
      ObjectNode mapping = F.objectNode();
      for (JsonSubTypes.Type sub : type.getAnnotation(JsonSubTypes.class).value()) {
        ObjectNode subRef = ref(sub.value());
        oneOf.add(subRef);
        mapping.put(sub.name(), subRef.get("$ref").asText());
        schemas.put(name(sub.value()), record(sub.value(), property, sub.name()));
        pending.remove(sub.value());
      }
      s.putObject("discriminator").put("propertyName", property).set("mapping", mapping);
    } else if (type.isRecord()) {
      s = record(type, null, null);
    } else {
      throw new IllegalArgumentException("no schema rule for " + type);
    }
    schemas.put(name(type), s);
  }

  private ObjectNode record(Class<?> type, String discriminator, String discriminatorValue) {
    ObjectNode s = F.objectNode().put("type", "object");
    ObjectNode props = s.putObject("properties");
    if (discriminator != null) {
      props.putObject(discriminator).put("type", "string").putArray("enum").add(discriminatorValue);
      s.putArray("required").add(discriminator);
    }
    for (RecordComponent c : type.getRecordComponents()) {
      props.set(c.getName(), schema(c.getGenericType()));
    }
    s.put("additionalProperties", false);
    return s;
  }

  private ObjectNode schema(Type t) {
    if (t instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode a = F.objectNode().put("type", "array");
        a.set("items", schema(args[0]));
        if (Set.class.isAssignableFrom(raw)) {
          a.put("uniqueItems", true);
        }
        return a;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode o = F.objectNode().put("type", "object");
        o.set("additionalProperties", schema(args[1]));
        return o;
      }
      throw new IllegalArgumentException("no schema rule for " + t);
    }
    Class<?> c = (Class<?>) t;
    if (c == String.class) {
      return F.objectNode().put("type", "string");
    }
    if (c == long.class || c == Long.class) {
      return F.objectNode().put("type", "integer").put("format", "int64");
    }
    if (c == int.class || c == Integer.class) {
      return F.objectNode().put("type", "integer").put("format", "int32");
    }
    if (c == double.class || c == Double.class) {
      return F.objectNode().put("type", "number").put("format", "double");
    }
    if (c == boolean.class || c == Boolean.class) {
      return F.objectNode().put("type", "boolean");
    }
    if (c == Instant.class) {
      return F.objectNode().put("type", "string").put("format", "date-time");
    }
    if (c == UUID.class) {
      return F.objectNode().put("type", "string").put("format", "uuid");
    }
    if (c == JsonNode.class) {
      return F.objectNode().put("description", "any JSON value");
    }
    if (c == PortRanges.class) {
      ObjectNode a = F.objectNode().put("type", "array");
      a.set("items", ref(PortRange.class));
      return a;
    }
    if (c.isRecord() && hasJsonValue(c)) {
      return F.objectNode().put("type", "string"); // ids
    }
    return ref(c);
  }

  private static boolean hasJsonValue(Class<?> c) {
    for (RecordComponent rc : c.getRecordComponents()) {
      if (rc.isAnnotationPresent(JsonValue.class)
          || rc.getAccessor().isAnnotationPresent(JsonValue.class)) {
        return true;
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (m.isAnnotationPresent(JsonValue.class)) {
        return true;
      }
    }
    return false;
  }
}

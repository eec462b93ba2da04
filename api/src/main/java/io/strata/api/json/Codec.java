package io.strata.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * JSON and YAML for the whole contract. Decoding is strict (unknown fields are rejected) and
 * reports <em>every</em> violation with its field path: Jackson is told to record a problem and
 * carry on rather than stop at the first, and value constructors report what they find through
 * {@link ValidationException}.
 */
public final class Codec {
  /** Bodies and spec files larger than this are refused before parsing. */
  public static final int MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;

  public static final Codec JSON = new Codec(configure(JsonMapper.builder().build()), "JSON");
  public static final Codec YAML =
      new Codec(
          configure(
              YAMLMapper.builder(
                      YAMLFactory.builder()
                          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                          .build())
                  .build()),
          "YAML");

  private final ObjectMapper mapper;
  private final String format;

  private Codec(ObjectMapper mapper, String format) {
    this.mapper = mapper;
    this.format = format;
  }

  private static ObjectMapper configure(ObjectMapper mapper) {
    mapper.registerModule(new JavaTimeModule());
    mapper.registerModule(
        new com.fasterxml.jackson.databind.module.SimpleModule("strata-durations")
            .addDeserializer(Long.class, DurationMillis.wrapper())
            .addDeserializer(long.class, DurationMillis.primitive()));
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(MAX_DOCUMENT_BYTES)
                .build());
    return mapper;
  }

  /** The configured mapper, for encoders and for framework code that needs trees. */
  public ObjectMapper mapper() {
    return mapper;
  }

  public String encode(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  public byte[] encodeBytes(Object value) {
    return encode(value).getBytes(StandardCharsets.UTF_8);
  }

  public <T> T decode(String text, Class<T> type) {
    return decode(text.getBytes(StandardCharsets.UTF_8), mapper.constructType(type));
  }

  public <T> T decode(byte[] bytes, Class<T> type) {
    return decode(bytes, mapper.constructType(type));
  }

  public <T> T decode(String text, TypeReference<T> type) {
    return decode(text.getBytes(StandardCharsets.UTF_8), mapper.constructType(type));
  }

  /**
   * Decodes a document, or throws a {@link ValidationException} listing every problem found: syntax
   * errors, unknown fields, wrong types, and what the values' constructors refused.
   */
  public <T> T decode(byte[] bytes, JavaType type) {
    if (bytes.length > MAX_DOCUMENT_BYTES) {
      throw new ValidationException(
          "", "document is " + bytes.length + " bytes; the limit is " + MAX_DOCUMENT_BYTES);
    }
    Collector collector = new Collector();
    ObjectReader reader = mapper.readerFor(type).withHandler(collector);
    T value;
    try {
      value = reader.readValue(bytes);
    } catch (JsonMappingException e) {
      collector.add(pathOf(e), cleanMessage(e), e.getLocation());
      value = null;
    } catch (JsonProcessingException e) {
      collector.add("", format + " syntax error: " + e.getOriginalMessage(), e.getLocation());
      value = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!collector.violations.isEmpty()) {
      throw new ValidationException(collector.violations);
    }
    if (value == null) {
      throw new ValidationException("", "a " + format + " document is required");
    }
    return value;
  }

  private static String pathOf(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String cleanMessage(JsonMappingException e) {
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" at [Source");
    return cut > 0 ? message.substring(0, cut) : message;
  }

  /** The path of the value the parser is at, e.g. {@code tasks[0].resources}. */
  static String pathOf(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.push("." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    String joined = String.join("", parts);
    return joined.startsWith(".") ? joined.substring(1) : joined;
  }

  /** Records each problem Jackson meets and lets decoding go on, so all are reported together. */
  private static final class Collector extends DeserializationProblemHandler {
    final List<Violation> violations = new ArrayList<>();

    void add(String path, String message, JsonLocation location) {
      // A failure deep inside a value makes its parents fail too ("is required"); report the
      // deepest cause only.
      for (Violation existing : violations) {
        if (existing.field().equals(path)
            || existing.field().startsWith(path + ".")
            || existing.field().startsWith(path + "[")
            || (path.isEmpty() && !existing.field().isEmpty())) {
          return;
        }
      }
      String where =
          location != null && location.getLineNr() > 0 && path.isEmpty()
              ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
              : "";
      violations.add(new Violation(path, message + where));
    }

    private static String here(DeserializationContext ctxt) {
      JsonParser p = ctxt.getParser();
      return p == null ? "" : pathOf(p.getParsingContext());
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      String path = pathOf(p.getParsingContext());
      if (!path.endsWith(propertyName)) {
        path = path.isEmpty() ? propertyName : path + "." + propertyName;
      }
      java.util.Collection<Object> known =
          deserializer == null ? List.of() : deserializer.getKnownPropertyNames();
      java.util.Optional<String> meant =
          Suggestions.closest(propertyName, known.stream().map(String::valueOf).toList());
      String parent = parentOf(path);
      meant.ifPresent(m -> misspelt.add(parent + "|" + m));
      // A value built from properties is checked before its unknown fields are reported: drop
      // what its checks said about the field the typo meant.
      violations.removeIf(this::followsFromATypo);
      add(path, "unknown field" + meant.map(m -> "; did you mean '" + m + "'?").orElse(""), null);
      p.skipChildren();
      return true;
    }

    /**
     * Fields that were probably misspelt, as "parent|meantField": the value's own checks must not
     * then complain that the meant field is missing or that a rule linking it failed (the typo is
     * the one problem, and it is reported).
     */
    private final java.util.Set<String> misspelt = new java.util.HashSet<>();

    private static String parentOf(String path) {
      int dot = path.lastIndexOf('.');
      return dot < 0 ? "" : path.substring(0, dot);
    }

    /** {@code v} (placed at its full path) is about a field that was misspelt beside it. */
    private boolean followsFromATypo(Violation v) {
      if (v.message().startsWith("unknown field")) {
        return false;
      }
      String parent = parentOf(v.field());
      String field = v.field().substring(parent.isEmpty() ? 0 : parent.length() + 1);
      for (String entry : misspelt) {
        int bar = entry.indexOf('|');
        if (!entry.substring(0, bar).equals(parent)) {
          continue;
        }
        String meant = entry.substring(bar + 1);
        if (field.equals(meant)
            || v.message().matches("(?s).*\\b" + java.util.regex.Pattern.quote(meant) + "\\b.*")) {
          return true;
        }
      }
      return false;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
      add(here(ctxt), describeExpected(targetType) + " (was '" + value + "')", null);
      return defaultOf(targetType);
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      add(here(ctxt), describeExpected(targetType) + " (was " + value + ")", null);
      return defaultOf(targetType);
    }

    @Override
    public Object handleWeirdKey(
        DeserializationContext ctxt, Class<?> rawKeyType, String keyValue, String failureMsg) {
      add(here(ctxt), "key '" + keyValue + "': " + describeExpected(rawKeyType), null);
      return defaultOf(rawKeyType);
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        JsonToken t,
        JsonParser p,
        String failureMsg)
        throws IOException {
      String path = pathOf(p.getParsingContext());
      if (t == JsonToken.VALUE_NULL) {
        add(path, "is required", null);
      } else {
        add(path, describeExpected(targetType.getRawClass()) + " (was " + describe(t) + ")", null);
      }
      p.skipChildren();
      return defaultOf(targetType.getRawClass());
    }

    @Override
    public Object handleInstantiationProblem(
        DeserializationContext ctxt, Class<?> instClass, Object argument, Throwable t) {
      String path = here(ctxt);
      Throwable cause = t;
      while (cause != null && !(cause instanceof IllegalArgumentException)) {
        cause = cause.getCause();
      }
      if (cause instanceof ValidationException v) {
        v.violations().stream()
            .map(violation -> violation.under(path))
            .filter(placed -> !followsFromATypo(placed))
            .forEach(placed -> add(placed.field(), placed.message(), null));
      } else if (cause != null) {
        add(path, cause.getMessage(), null);
      } else {
        add(path, "invalid " + instClass.getSimpleName(), null);
      }
      return null;
    }

    @Override
    public Object handleMissingInstantiator(
        DeserializationContext ctxt,
        Class<?> instClass,
        com.fasterxml.jackson.databind.deser.ValueInstantiator valueInsta,
        JsonParser p,
        String msg)
        throws IOException {
      add(pathOf(p.getParsingContext()), describeExpected(instClass), null);
      p.skipChildren();
      return null;
    }

    @Override
    public JavaType handleUnknownTypeId(
        DeserializationContext ctxt,
        JavaType baseType,
        String subTypeId,
        TypeIdResolver idResolver,
        String failureMsg) {
      add(
          joinPath(here(ctxt), "type"),
          "unknown type '"
              + subTypeId
              + "'; expected one of "
              + idResolver.getDescForKnownTypeIds(),
          null);
      return ctxt.constructType(Void.class);
    }

    @Override
    public JavaType handleMissingTypeId(
        DeserializationContext ctxt,
        JavaType baseType,
        TypeIdResolver idResolver,
        String failureMsg) {
      add(
          joinPath(here(ctxt), "type"),
          "is required; one of " + idResolver.getDescForKnownTypeIds(),
          null);
      return ctxt.constructType(Void.class);
    }

    /** The discriminator's path: the parser may be on it already ({@code x.type}) or past it. */
    private static String joinPath(String path, String field) {
      if (path.equals(field) || path.endsWith("." + field)) {
        return path;
      }
      return path.isEmpty() ? field : path + "." + field;
    }
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.toString();
    };
  }

  static String describeExpected(Class<?> type) {
    if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object constant : type.getEnumConstants()) {
        names.add(((Enum<?>) constant).name());
      }
      return "must be one of " + names;
    }
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "must be an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "must be true or false";
    }
    if (type == String.class) {
      return "must be a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "must be a list";
    }
    if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "must be an object";
    }
    if (type == java.time.Duration.class) {
      return "must be " + Durations.FORMS;
    }
    if (type == java.time.Instant.class) {
      return "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z";
    }
    return "must be a valid " + type.getSimpleName();
  }

  private static Object defaultOf(Class<?> type) {
    if (type == long.class) {
      return 0L;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == double.class) {
      return 0.0;
    }
    if (type == short.class) {
      return (short) 0;
    }
    if (type == byte.class) {
      return (byte) 0;
    }
    if (type == char.class) {
      return '\0';
    }
    if (type == float.class) {
      return 0f;
    }
    return null;
  }
}

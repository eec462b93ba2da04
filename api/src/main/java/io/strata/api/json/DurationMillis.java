package io.strata.api.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.time.Duration;

/**
 * Every field named {@code *Millis} (a {@code Long} or {@code long}) also takes a duration as
 * people write it: {@code killGracePeriodMillis: 3s}, {@code intervalMillis: 500ms}, {@code
 * activeDeadlineMillis: 10m}. Numbers stay milliseconds; values are always written back as numbers.
 * A string that is no duration is reported with the field's path and the accepted forms ({@link
 * Durations#FORMS}), through the codec's problem handler, so decoding goes on and every other
 * violation is reported too.
 */
final class DurationMillis extends StdDeserializer<Long> implements ContextualDeserializer {
  private static final long serialVersionUID = 1L;
  private final JsonDeserializer<?> numbers;
  private final boolean durations;

  DurationMillis(Class<?> type, JsonDeserializer<?> numbers, boolean durations) {
    super(type);
    this.numbers = numbers;
    this.durations = durations;
  }

  static DurationMillis wrapper() {
    return new DurationMillis(
        Long.class, NumberDeserializers.find(Long.class, Long.class.getName()), false);
  }

  static DurationMillis primitive() {
    return new DurationMillis(
        long.class, NumberDeserializers.find(long.class, long.class.getName()), false);
  }

  /** Whether values of a property so named are durations in milliseconds. */
  static boolean isDuration(String propertyName) {
    return propertyName != null && propertyName.endsWith("Millis");
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    boolean d = property != null && isDuration(property.getName());
    return d == durations ? this : new DurationMillis(handledType(), numbers, d);
  }

  @Override
  public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (durations && p.currentToken() == JsonToken.VALUE_STRING) {
      String text = p.getText();
      try {
        return Durations.parseMillis(text);
      } catch (ValidationException e) {
        Object handled = ctxt.handleWeirdStringValue(Duration.class, text, e.getMessage());
        return handled instanceof Long l ? l : null;
      }
    }
    return (Long) numbers.deserialize(p, ctxt);
  }

  @Override
  public Long getNullValue(DeserializationContext ctxt)
      throws com.fasterxml.jackson.databind.JsonMappingException {
    return (Long) numbers.getNullValue(ctxt);
  }
}

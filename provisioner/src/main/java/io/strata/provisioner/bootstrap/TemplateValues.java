package io.strata.provisioner.bootstrap;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Terraform's value rules that a rendering depends on: cty keeps every string in Unicode normal
 * form C, orders map keys by their bytes (UTF-8, so by code point), prints numbers in plain
 * decimal; {@code jsonencode} is Go's {@code encoding/json} (no whitespace, HTML-safe escapes).
 * Values are Java's: String, Number, Boolean, null, List and Map.
 */
final class TemplateValues {
  private TemplateValues() {}

  /** UTF-8 byte order, which is code point order (UTF-16's compareTo differs above U+D7FF). */
  static final Comparator<String> KEY_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int x = a.codePointAt(i);
          int y = b.codePointAt(j);
          if (x != y) {
            return Integer.compare(x, y);
          }
          i += Character.charCount(x);
          j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  /** A string as cty holds it: NFC; a lone surrogate is not Unicode text. */
  static String nfc(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "a string holds a lone UTF-16 surrogate, which is not Unicode text");
      }
    }
    return Normalizer.normalize(s, Normalizer.Form.NFC);
  }

  /** A map's entries in Terraform's order, with NFC keys. */
  static Map<String, Object> sorted(Map<?, ?> map) {
    Map<String, Object> out = new TreeMap<>(KEY_ORDER);
    map.forEach((k, v) -> out.put(nfc(String.valueOf(k)), v));
    return out;
  }

  /** What {@code ${NAME}} writes: a string as it is, a number in decimal, a bool as true/false. */
  static String text(String name, Object value) {
    return switch (value) {
      case String s -> nfc(s);
      case Number n -> number(n);
      case Boolean b -> b.toString();
      case null ->
          throw new IllegalArgumentException(
              "\"" + name + "\" is null: a template cannot include null");
      default ->
          throw new IllegalArgumentException(
              "\""
                  + name
                  + "\" is a "
                  + (value instanceof Map<?, ?> ? "map" : "list")
                  + ": write ${jsonencode("
                  + name
                  + ")}");
    };
  }

  static String number(Number n) {
    BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  /** Terraform's {@code jsonencode}. */
  static String jsonencode(Object value) {
    return json(value, new StringBuilder()).toString();
  }

  private static StringBuilder json(Object value, StringBuilder out) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(nfc(s), out);
      case Number n -> out.append(number(n));
      case Boolean b -> out.append(b);
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          json(list.get(i), i > 0 ? out.append(',') : out);
        }
        out.append(']');
      }
      case Map<?, ?> map -> {
        out.append('{');
        String separator = "";
        for (Map.Entry<String, Object> e : sorted(map).entrySet()) {
          string(e.getKey(), out.append(separator)).append(':');
          json(e.getValue(), out);
          separator = ",";
        }
        out.append('}');
      }
      default ->
          throw new IllegalArgumentException(
              "jsonencode cannot encode a " + value.getClass().getSimpleName());
    }
    return out;
  }

  private static StringBuilder string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}

package io.strata.provisioner.bootstrap;

import static io.strata.provisioner.bootstrap.TemplateEvaluator.asString;
import static io.strata.provisioner.bootstrap.TemplateEvaluator.describe;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Terraform functions our templates call, with Terraform's exact output: {@code jsonencode}
 * sorts object keys and escapes {@code < > &} as Go's encoder does, {@code indent} pads every line
 * after the first.
 */
final class TemplateFunctions {
  private TemplateFunctions() {}

  static Object call(String name, List<Object> args, int line) {
    return switch (name) {
      case "jsonencode" -> json(one(name, args, line), new StringBuilder()).toString();
      case "base64encode" ->
          Base64.getEncoder()
              .encodeToString(str(name, args, 0, line).getBytes(StandardCharsets.UTF_8));
      case "base64decode" ->
          new String(Base64.getDecoder().decode(str(name, args, 0, line)), StandardCharsets.UTF_8);
      case "indent" -> {
        arity(name, args, 2, line);
        String pad = " ".repeat(num(name, args, 0, line).intValueExact());
        yield str(name, args, 1, line).replace("\n", "\n" + pad);
      }
      case "join" -> {
        arity(name, args, 2, line);
        List<String> parts = new ArrayList<>();
        for (Object item : list(name, args, 1, line)) {
          parts.add(asString(item, line));
        }
        yield String.join(str(name, args, 0, line), parts);
      }
      case "split" -> {
        arity(name, args, 2, line);
        yield List.<Object>of(
            str(name, args, 1, line).split(Pattern.quote(str(name, args, 0, line)), -1));
      }
      case "length" -> {
        Object v = one(name, args, line);
        yield BigDecimal.valueOf(
            switch (v) {
              case String s -> s.codePointCount(0, s.length());
              case List<?> l -> l.size();
              case Map<?, ?> m -> m.size();
              default -> throw wrong(name, 0, v, line);
            });
      }
      case "lower" -> str(name, args, 0, line).toLowerCase(java.util.Locale.ROOT);
      case "upper" -> str(name, args, 0, line).toUpperCase(java.util.Locale.ROOT);
      case "trimspace" -> str(name, args, 0, line).strip();
      case "chomp" -> str(name, args, 0, line).replaceAll("[\r\n]+$", "");
      case "tostring" -> asString(one(name, args, line), line);
      case "replace" -> {
        arity(name, args, 3, line);
        yield str(name, args, 0, line).replace(str(name, args, 1, line), str(name, args, 2, line));
      }
      case "keys" -> {
        if (!(one(name, args, line) instanceof Map<?, ?> m)) {
          throw wrong(name, 0, args.get(0), line);
        }
        yield List.<Object>copyOf(TemplateEvaluator.sorted(m).keySet());
      }
      case "contains" -> {
        arity(name, args, 2, line);
        yield list(name, args, 0, line).stream()
            .map(TemplateEvaluator::normalize)
            .anyMatch(x -> x != null && x.equals(TemplateEvaluator.normalize(args.get(1))));
      }
      case "lookup" -> {
        if (args.size() != 2 && args.size() != 3) {
          throw new TemplateException("line " + line + ": lookup takes 2 or 3 arguments");
        }
        if (!(args.get(0) instanceof Map<?, ?> m)) {
          throw wrong(name, 0, args.get(0), line);
        }
        String key = str(name, args, 1, line);
        if (m.containsKey(key)) {
          yield TemplateEvaluator.normalize(m.get(key));
        }
        if (args.size() == 3) {
          yield args.get(2);
        }
        throw new TemplateException("line " + line + ": lookup: no key '" + key + "'");
      }
      case "coalesce" -> {
        for (Object a : args) {
          if (a != null && !"".equals(a)) {
            yield a;
          }
        }
        throw new TemplateException("line " + line + ": coalesce: no non-null argument");
      }
      default ->
          throw new TemplateException("line " + line + ": unsupported function '" + name + "'");
    };
  }

  // ---- jsonencode ----------------------------------------------------------------------

  static StringBuilder json(Object value, StringBuilder out) {
    switch (TemplateEvaluator.normalize(value)) {
      case null -> out.append("null");
      case String s -> jsonString(s, out);
      case Boolean b -> out.append(b);
      case BigDecimal n -> out.append(TemplateEvaluator.numberText(n));
      case List<?> l -> {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          json(l.get(i), out);
        }
        out.append(']');
      }
      case Map<?, ?> m -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : TemplateEvaluator.sorted(m).entrySet()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          jsonString(e.getKey(), out);
          out.append(':');
          json(e.getValue(), out);
        }
        out.append('}');
      }
      default -> throw new TemplateException("jsonencode: cannot encode " + describe(value));
    }
    return out;
  }

  private static void jsonString(String s, StringBuilder out) {
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
    out.append('"');
  }

  // ---- arguments -----------------------------------------------------------------------

  private static void arity(String name, List<Object> args, int n, int line) {
    if (args.size() != n) {
      throw new TemplateException(
          "line " + line + ": " + name + " takes " + n + " arguments, got " + args.size());
    }
  }

  private static Object one(String name, List<Object> args, int line) {
    arity(name, args, 1, line);
    return args.get(0);
  }

  private static String str(String name, List<Object> args, int i, int line) {
    if (i >= args.size()) {
      throw new TemplateException("line " + line + ": " + name + " needs argument " + (i + 1));
    }
    Object v = TemplateEvaluator.normalize(args.get(i));
    if (v instanceof String || v instanceof BigDecimal || v instanceof Boolean) {
      return asString(v, line);
    }
    throw wrong(name, i, v, line);
  }

  private static BigDecimal num(String name, List<Object> args, int i, int line) {
    Object v = TemplateEvaluator.normalize(args.get(i));
    if (v instanceof BigDecimal n) {
      return n;
    }
    if (v instanceof String s) {
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        throw wrong(name, i, v, line);
      }
    }
    throw wrong(name, i, v, line);
  }

  private static List<?> list(String name, List<Object> args, int i, int line) {
    if (args.get(i) instanceof List<?> l) {
      return l;
    }
    throw wrong(name, i, args.get(i), line);
  }

  private static TemplateException wrong(String name, int i, Object v, int line) {
    return new TemplateException(
        "line " + line + ": " + name + ": argument " + (i + 1) + " cannot be " + describe(v));
  }
}

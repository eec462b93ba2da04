package io.strata.provisioner.bootstrap;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates parsed templates against variables. Values are Java's: String, Boolean, Number, List
 * and Map (objects). As in Terraform, maps iterate in key order, interpolating null or a collection
 * is an error, and a reference to an undefined variable is an error.
 */
final class TemplateEvaluator {
  private TemplateEvaluator() {}

  static void render(List<TemplateNode> nodes, Map<String, Object> scope, StringBuilder out) {
    for (TemplateNode node : nodes) {
      switch (node) {
        case TemplateNode.Text t -> out.append(t.text());
        case TemplateNode.Interpolation in ->
            out.append(asString(eval(in.expr(), scope), in.line()));
        case TemplateNode.If i -> {
          Object c = eval(i.condition(), scope);
          if (!(c instanceof Boolean b)) {
            throw new TemplateException(
                "line " + i.line() + ": the if condition must be a bool, was " + describe(c));
          }
          render(b ? i.then() : i.otherwise(), scope, out);
        }
        case TemplateNode.For f -> loop(f, scope, out);
      }
    }
  }

  private static void loop(TemplateNode.For f, Map<String, Object> scope, StringBuilder out) {
    Object collection = eval(f.collection(), scope);
    Map<String, Object> inner = new HashMap<>(scope);
    if (collection instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (f.key() != null) {
          inner.put(f.key(), BigDecimal.valueOf(i));
        }
        inner.put(f.value(), list.get(i));
        render(f.body(), inner, out);
      }
    } else if (collection instanceof Map<?, ?> map) {
      for (Map.Entry<String, Object> e : sorted(map).entrySet()) {
        if (f.key() != null) {
          inner.put(f.key(), e.getKey());
        }
        inner.put(f.value(), e.getValue());
        render(f.body(), inner, out);
      }
    } else {
      throw new TemplateException(
          "line " + f.line() + ": for needs a list or a map, was " + describe(collection));
    }
  }

  static Map<String, Object> sorted(Map<?, ?> map) {
    TreeMap<String, Object> out = new TreeMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  static Object eval(TemplateExpr expr, Map<String, Object> scope) {
    return switch (expr) {
      case TemplateExpr.Literal l -> normalize(l.value());
      case TemplateExpr.Variable v -> {
        if (!scope.containsKey(v.name())) {
          throw new TemplateException(
              "line " + v.line() + ": no variable named '" + v.name() + "' was given");
        }
        yield normalize(scope.get(v.name()));
      }
      case TemplateExpr.Attribute a -> {
        Object target = eval(a.target(), scope);
        if (!(target instanceof Map<?, ?> map) || !map.containsKey(a.name())) {
          throw new TemplateException(
              "line "
                  + a.line()
                  + ": "
                  + describe(target)
                  + " has no attribute '"
                  + a.name()
                  + "'");
        }
        yield normalize(map.get(a.name()));
      }
      case TemplateExpr.Index ix -> index(eval(ix.target(), scope), eval(ix.key(), scope), ix);
      case TemplateExpr.Call c -> {
        List<Object> args = new ArrayList<>();
        c.args().forEach(arg -> args.add(eval(arg, scope)));
        yield TemplateFunctions.call(c.function(), args, c.line());
      }
      case TemplateExpr.Unary u -> unary(u, eval(u.operand(), scope));
      case TemplateExpr.Binary b -> binary(b, scope);
      case TemplateExpr.Conditional c -> {
        Object cond = eval(c.condition(), scope);
        if (!(cond instanceof Boolean bool)) {
          throw new TemplateException(
              "line " + c.line() + ": a condition must be a bool, was " + describe(cond));
        }
        yield eval(bool ? c.then() : c.otherwise(), scope);
      }
      case TemplateExpr.ListOf l -> {
        List<Object> items = new ArrayList<>();
        l.items().forEach(item -> items.add(eval(item, scope)));
        yield items;
      }
      case TemplateExpr.ObjectOf o -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < o.keys().size(); i++) {
          map.put(asString(eval(o.keys().get(i), scope), 0), eval(o.values().get(i), scope));
        }
        yield map;
      }
      case TemplateExpr.Quoted q -> {
        StringBuilder sb = new StringBuilder();
        render(q.parts(), scope, sb);
        yield nfc(sb.toString());
      }
    };
  }

  /** Numbers become BigDecimal so that arithmetic and equality behave like Terraform's. */
  static Object normalize(Object value) {
    if (value instanceof Number n && !(value instanceof BigDecimal)) {
      return new BigDecimal(n.toString());
    }
    if (value instanceof String s) {
      return nfc(s);
    }
    return value;
  }

  /** cty keeps every string in Unicode normal form C. */
  static String nfc(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
  }

  private static Object index(Object target, Object key, TemplateExpr.Index ix) {
    if (target instanceof List<?> list && key instanceof BigDecimal n) {
      int i = n.intValueExact();
      if (i < 0 || i >= list.size()) {
        throw new TemplateException(
            "line " + ix.line() + ": index " + i + " out of range for a list of " + list.size());
      }
      return normalize(list.get(i));
    }
    if (target instanceof Map<?, ?> map && key != null && map.containsKey(asString(key, 0))) {
      return normalize(map.get(asString(key, 0)));
    }
    throw new TemplateException(
        "line " + ix.line() + ": cannot index " + describe(target) + " with " + describe(key));
  }

  private static Object unary(TemplateExpr.Unary u, Object value) {
    if (u.op().equals("!") && value instanceof Boolean b) {
      return !b;
    }
    if (u.op().equals("-") && value instanceof BigDecimal n) {
      return n.negate();
    }
    throw new TemplateException(
        "line " + u.line() + ": cannot apply " + u.op() + " to " + describe(value));
  }

  private static Object binary(TemplateExpr.Binary b, Map<String, Object> scope) {
    Object left = eval(b.left(), scope);
    if (b.op().equals("&&") || b.op().equals("||")) {
      Object right = eval(b.right(), scope);
      if (left instanceof Boolean l && right instanceof Boolean r) {
        return b.op().equals("&&") ? l && r : l || r;
      }
      throw new TemplateException("line " + b.line() + ": " + b.op() + " needs two bools");
    }
    Object right = eval(b.right(), scope);
    if (b.op().equals("==") || b.op().equals("!=")) {
      boolean equal =
          left instanceof BigDecimal l && right instanceof BigDecimal r
              ? l.compareTo(r) == 0
              : java.util.Objects.equals(left, right);
      return b.op().equals("==") == equal;
    }
    if (!(left instanceof BigDecimal l) || !(right instanceof BigDecimal r)) {
      throw new TemplateException(
          "line "
              + b.line()
              + ": "
              + b.op()
              + " needs two numbers, was "
              + describe(left)
              + " and "
              + describe(right));
    }
    return switch (b.op()) {
      case "<" -> l.compareTo(r) < 0;
      case ">" -> l.compareTo(r) > 0;
      case "<=" -> l.compareTo(r) <= 0;
      case ">=" -> l.compareTo(r) >= 0;
      case "+" -> l.add(r);
      case "-" -> l.subtract(r);
      case "*" -> l.multiply(r);
      case "/" -> l.divide(r, MathContext.DECIMAL64);
      case "%" -> l.remainder(r);
      default -> throw new TemplateException("line " + b.line() + ": unknown operator " + b.op());
    };
  }

  /** How a value appears in text: numbers without trailing zeros, bools as true/false. */
  static String asString(Object value, int line) {
    return switch (value) {
      case String s -> s;
      case Boolean b -> b.toString();
      case BigDecimal n -> numberText(n);
      case Number n -> numberText(new BigDecimal(n.toString()));
      case null ->
          throw new TemplateException(
              "line " + line + ": cannot interpolate null (a variable without a value)");
      default ->
          throw new TemplateException(
              "line " + line + ": cannot interpolate " + describe(value) + "; use jsonencode()");
    };
  }

  static String numberText(BigDecimal n) {
    return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
  }

  static String describe(Object value) {
    return switch (value) {
      case null -> "null";
      case String s -> "a string";
      case Boolean b -> "a bool";
      case Number n -> "a number";
      case List<?> l -> "a list";
      case Map<?, ?> m -> "a map";
      default -> "a " + value.getClass().getSimpleName();
    };
  }
}

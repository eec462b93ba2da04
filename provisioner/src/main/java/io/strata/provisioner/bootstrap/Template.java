package io.strata.provisioner.bootstrap;

import io.strata.provisioner.bootstrap.TemplateNode.Position;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A bootstrap template of {@code terraform/templates/}, parsed once and rendered for each machine
 * with Terraform's {@code templatefile()} rules, byte for byte: the provisioner and the Terraform
 * modules boot machines from the same copy. Only the small language those files use is accepted
 * (see {@link TemplateParser}); {@code terraform/check} renders it the same way and both are
 * compared with real Terraform's output.
 *
 * <p>Variables are Java values: String, Number, Boolean, List and Map. As in {@code templatefile},
 * a variable the template reads but the caller does not give is an error, and so is writing a map
 * without {@code jsonencode}.
 */
public final class Template {
  private final String name;
  private final List<TemplateNode> nodes;
  private final SortedSet<String> variables = new TreeSet<>();

  private Template(String name, List<TemplateNode> nodes) {
    this.name = name;
    this.nodes = nodes;
    collect(nodes, Set.of());
  }

  /**
   * Parses {@code text}.
   *
   * @param name the template's name (its file name), for error messages
   * @throws TemplateException if the text uses anything outside the template language
   */
  public static Template parse(String name, String text) {
    return new Template(name, TemplateParser.parse(name, text));
  }

  public String name() {
    return name;
  }

  /** The variables the template reads from its caller (loop variables excluded), sorted. */
  public SortedSet<String> variables() {
    return Collections.unmodifiableSortedSet(variables);
  }

  /**
   * Renders the template; the result is in Unicode normal form C, as Terraform's strings are.
   *
   * @throws TemplateException if a variable is missing or has a type the construct cannot write
   */
  public String render(Map<String, ?> values) {
    StringBuilder out = new StringBuilder(4096);
    render(nodes, new HashMap<>(values), out);
    return TemplateValues.nfc(out.toString());
  }

  private void render(List<TemplateNode> list, Map<String, Object> scope, StringBuilder out) {
    for (TemplateNode node : list) {
      switch (node) {
        case TemplateNode.Text t -> out.append(t.text());
        case TemplateNode.Value v -> {
          Object value = lookup(scope, v.name(), v.at());
          out.append(apply(v.at(), () -> TemplateValues.text(v.name(), value)));
        }
        case TemplateNode.Json j -> {
          Object value = lookup(scope, j.name(), j.at());
          out.append(apply(j.at(), () -> TemplateValues.jsonencode(value)));
        }
        case TemplateNode.IfNotEqual i -> {
          if (!(lookup(scope, i.name(), i.at()) instanceof String s)) {
            throw error(i.at(), "%{ if " + i.name() + " != ... } needs a string");
          }
          if (!apply(i.at(), () -> TemplateValues.nfc(s)).equals(TemplateValues.nfc(i.literal()))) {
            render(i.body(), scope, out);
          }
        }
        case TemplateNode.ForEach f -> {
          if (!(lookup(scope, f.map(), f.at()) instanceof Map<?, ?> map)) {
            throw error(f.at(), "%{ for ... in " + f.map() + " } needs a map");
          }
          for (Map.Entry<String, Object> e :
              apply(f.at(), () -> TemplateValues.sorted(map)).entrySet()) {
            Map<String, Object> inner = new HashMap<>(scope);
            inner.put(f.key(), e.getKey());
            inner.put(f.value(), e.getValue());
            render(f.body(), inner, out);
          }
        }
      }
    }
  }

  private Object lookup(Map<String, Object> scope, String variable, Position at) {
    if (!scope.containsKey(variable)) {
      throw error(at, "no variable \"" + variable + "\" was given");
    }
    return scope.get(variable);
  }

  /** Runs a value rule, turning its complaint into an error at the construct's position. */
  private <T> T apply(Position at, Supplier<T> rule) {
    try {
      return rule.get();
    } catch (IllegalArgumentException e) {
      throw error(at, e.getMessage());
    }
  }

  private TemplateException error(Position at, String problem) {
    return new TemplateException(name, at.line(), at.column(), problem);
  }

  private void collect(List<TemplateNode> list, Set<String> bound) {
    for (TemplateNode node : list) {
      switch (node) {
        case TemplateNode.Text t -> {}
        case TemplateNode.Value v -> use(v.name(), bound);
        case TemplateNode.Json j -> use(j.name(), bound);
        case TemplateNode.IfNotEqual i -> {
          use(i.name(), bound);
          collect(i.body(), bound);
        }
        case TemplateNode.ForEach f -> {
          use(f.map(), bound);
          Set<String> inner = new HashSet<>(bound);
          inner.add(f.key());
          inner.add(f.value());
          collect(f.body(), inner);
        }
      }
    }
  }

  private void use(String variable, Set<String> bound) {
    if (!bound.contains(variable)) {
      variables.add(variable);
    }
  }
}

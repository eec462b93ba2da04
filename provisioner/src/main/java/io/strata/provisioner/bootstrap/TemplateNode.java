package io.strata.provisioner.bootstrap;

import java.util.List;

/** A parsed template: literal text, interpolations, and if/for directives. */
sealed interface TemplateNode {
  record Text(String text) implements TemplateNode {}

  record Interpolation(TemplateExpr expr, int line) implements TemplateNode {}

  record If(TemplateExpr condition, List<TemplateNode> then, List<TemplateNode> otherwise, int line)
      implements TemplateNode {}

  /** {@code for key, value in collection}: {@code key} is null when only one name is given. */
  record For(String key, String value, TemplateExpr collection, List<TemplateNode> body, int line)
      implements TemplateNode {}
}

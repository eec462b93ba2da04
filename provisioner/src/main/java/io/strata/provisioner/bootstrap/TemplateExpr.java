package io.strata.provisioner.bootstrap;

import java.util.List;

/** An expression inside {@code ${ }} or a directive, as the template language has it. */
sealed interface TemplateExpr {
  record Literal(Object value) implements TemplateExpr {}

  record Variable(String name, int line) implements TemplateExpr {}

  record Attribute(TemplateExpr target, String name, int line) implements TemplateExpr {}

  record Index(TemplateExpr target, TemplateExpr key, int line) implements TemplateExpr {}

  record Call(String function, List<TemplateExpr> args, int line) implements TemplateExpr {}

  record Unary(String op, TemplateExpr operand, int line) implements TemplateExpr {}

  record Binary(String op, TemplateExpr left, TemplateExpr right, int line)
      implements TemplateExpr {}

  record Conditional(TemplateExpr condition, TemplateExpr then, TemplateExpr otherwise, int line)
      implements TemplateExpr {}

  record ListOf(List<TemplateExpr> items) implements TemplateExpr {}

  record ObjectOf(List<TemplateExpr> keys, List<TemplateExpr> values) implements TemplateExpr {}

  /** A quoted string that itself interpolates: {@code "${a}-${b}"}. */
  record Quoted(List<TemplateNode> parts) implements TemplateExpr {}
}

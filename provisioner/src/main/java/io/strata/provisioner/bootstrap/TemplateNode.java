package io.strata.provisioner.bootstrap;

import java.util.List;

/** A parsed template: the constructs of the template language, and nothing else. */
sealed interface TemplateNode {
  /** Where a construct starts, for error messages. */
  record Position(int line, int column) {}

  /** Text copied as it is. */
  record Text(String text) implements TemplateNode {}

  /** {@code ${NAME}}: a string as it is, a number in decimal. */
  record Value(String name, Position at) implements TemplateNode {}

  /** {@code ${jsonencode(NAME)}}: the value as Terraform's jsonencode writes it. */
  record Json(String name, Position at) implements TemplateNode {}

  /** {@code %{ if NAME != "LITERAL" }} ... {@code %{ endif }}. */
  record IfNotEqual(String name, String literal, Position at, List<TemplateNode> body)
      implements TemplateNode {}

  /** {@code %{ for KEY, VALUE in NAME }} ... {@code %{ endfor }}, over a map in key order. */
  record ForEach(String key, String value, String map, Position at, List<TemplateNode> body)
      implements TemplateNode {}
}

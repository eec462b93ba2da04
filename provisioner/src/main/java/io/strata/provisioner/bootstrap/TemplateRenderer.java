package io.strata.provisioner.bootstrap;

import java.util.List;
import java.util.Map;

/**
 * Renders Terraform {@code templatefile()} templates in Java, so the provisioner and the Terraform
 * modules boot machines from the one copy of each script in {@code terraform/templates/}. It
 * implements the part of the template language those files use (see {@link TemplateParser}) and the
 * functions in {@link TemplateFunctions}, with Terraform's output byte for byte.
 *
 * <p>Variables are Java values: String, Boolean, Number, List and Map (for objects). Like
 * Terraform, a reference to a variable that was not given is an error, and so is interpolating
 * null, a list or a map.
 */
public final class TemplateRenderer {

  /**
   * Renders {@code template} with {@code variables}.
   *
   * @throws TemplateException if the template does not parse or does not evaluate
   */
  public String render(String template, Map<String, Object> variables) {
    List<TemplateNode> nodes = TemplateParser.parse(template);
    StringBuilder out = new StringBuilder(template.length() + 256);
    TemplateEvaluator.render(nodes, variables, out);
    // Like cty, the result is a string in normal form C (so "e" + U+0301 from two parts is "é").
    return TemplateEvaluator.nfc(out.toString());
  }

  /** Checks that {@code template} parses; returns it unchanged. */
  public String check(String template) {
    TemplateParser.parse(template);
    return template;
  }
}

package io.strata.provisioner.bootstrap;

/**
 * A bootstrap template that uses something outside the template language, or that does not render
 * with the variables given. The message names the template, the line and the column (both from 1).
 */
public final class TemplateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String template;
  private final int line;
  private final int column;

  TemplateException(String template, int line, int column, String problem) {
    super(template + ":" + line + ":" + column + ": " + problem);
    this.template = template;
    this.line = line;
    this.column = column;
  }

  /** The template's name, as given to {@link Template#parse}. */
  public String template() {
    return template;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}

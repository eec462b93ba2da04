package io.strata.provisioner.bootstrap;

/** A template that does not parse, or does not evaluate with the variables given. */
public final class TemplateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message);
  }
}

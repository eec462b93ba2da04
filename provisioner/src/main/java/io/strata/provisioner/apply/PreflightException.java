package io.strata.provisioner.apply;

import java.util.List;

/** The cloud cannot take the plan (quota, unknown size or image); nothing was created. */
public final class PreflightException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public PreflightException(List<String> problems) {
    super("preflight failed, nothing was created:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

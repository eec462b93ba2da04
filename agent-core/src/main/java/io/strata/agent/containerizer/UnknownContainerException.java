package io.strata.agent.containerizer;

/** The containerizer neither launched nor recovered a container with this id. */
public class UnknownContainerException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnknownContainerException(ContainerId id) {
    super("no container " + id + " on this containerizer");
  }
}

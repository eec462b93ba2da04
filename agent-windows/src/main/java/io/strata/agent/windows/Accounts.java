package io.strata.agent.windows;

/** The Windows accounts a task may name. */
public interface Accounts {
  /** Whether {@code user} names an account on this machine (or its domain). */
  boolean exists(String user);

  /** The account the agent runs as. */
  String current();
}

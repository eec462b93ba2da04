package io.strata.agent.layoutfixture.bad.container;

/** Uses the executor: only main may. */
public class Docker {
  Object exec = new io.strata.agent.layoutfixture.bad.exec.Executor();
}

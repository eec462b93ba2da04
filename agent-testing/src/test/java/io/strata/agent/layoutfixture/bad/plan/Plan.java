package io.strata.agent.layoutfixture.bad.plan;

/** Uses the executor back: a cycle, and a plan that is not pure. */
public class Plan {
  Object exec;

  void run() {
    exec = new io.strata.agent.layoutfixture.bad.exec.Executor();
  }
}

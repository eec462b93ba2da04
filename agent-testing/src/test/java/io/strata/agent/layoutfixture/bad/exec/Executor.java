package io.strata.agent.layoutfixture.bad.exec;

public class Executor {
  Object plan = new io.strata.agent.layoutfixture.bad.plan.Plan();
}

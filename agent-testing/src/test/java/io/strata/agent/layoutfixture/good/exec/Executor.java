package io.strata.agent.layoutfixture.good.exec;

public class Executor {
  Object plan = new io.strata.agent.layoutfixture.good.plan.Plan();
  Object lib = new io.strata.agent.layoutfixture.good.jna.Library();
}

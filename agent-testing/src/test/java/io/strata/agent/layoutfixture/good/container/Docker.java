package io.strata.agent.layoutfixture.good.container;

public class Docker {
  Object plan = new io.strata.agent.layoutfixture.good.plan.Plan();
  Object sub = new io.strata.agent.layoutfixture.good.sub.Subsystem();
}

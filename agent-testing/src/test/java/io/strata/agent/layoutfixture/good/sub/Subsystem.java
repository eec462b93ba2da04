package io.strata.agent.layoutfixture.good.sub;

public class Subsystem {
  Object lib = new io.strata.agent.layoutfixture.good.jna.Library();
}

package io.strata.agent.layoutfixture.thin;

/** A platform with no container, exec or jna package: empty layers (AgentLayoutTest). */
public class Main {
  Object plan = new io.strata.agent.layoutfixture.thin.plan.Plan();
}

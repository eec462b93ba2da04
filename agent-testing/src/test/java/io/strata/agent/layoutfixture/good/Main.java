package io.strata.agent.layoutfixture.good;

/** A well-formed platform (AgentLayoutTest): main uses every layer. */
public class Main {
  Object parts =
      new Object[] {
        new io.strata.agent.layoutfixture.good.container.Docker(),
        new io.strata.agent.layoutfixture.good.exec.Executor()
      };
}

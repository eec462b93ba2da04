package io.strata.agent.layoutfixture.bad;

/** A platform that breaks the layout (AgentLayoutTest). */
public class Main {}

package io.strata.agent.layoutfixture.good.plan;

public class Plan {}

package io.strata.agent.layoutfixture.thin.plan;

public class Plan {}

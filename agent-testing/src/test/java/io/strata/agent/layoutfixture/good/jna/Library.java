package io.strata.agent.layoutfixture.good.jna;

public class Library {}

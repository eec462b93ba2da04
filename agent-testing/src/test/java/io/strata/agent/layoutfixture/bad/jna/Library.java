package io.strata.agent.layoutfixture.bad.jna;

public class Library {}

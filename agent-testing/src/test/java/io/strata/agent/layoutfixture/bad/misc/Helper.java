package io.strata.agent.layoutfixture.bad.misc;

/** A package the layout does not name. */
public class Helper {}

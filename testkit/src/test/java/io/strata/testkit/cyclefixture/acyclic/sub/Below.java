package io.strata.testkit.cyclefixture.acyclic.sub;

public class Below {}

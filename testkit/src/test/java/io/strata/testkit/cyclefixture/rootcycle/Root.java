package io.strata.testkit.cyclefixture.rootcycle;

import io.strata.testkit.cyclefixture.rootcycle.sub.Below;

/** The base package uses its subpackage, which uses the base package back. */
public class Root {
  Below below;
}

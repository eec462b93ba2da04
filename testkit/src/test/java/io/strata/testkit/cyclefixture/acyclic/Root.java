package io.strata.testkit.cyclefixture.acyclic;

import io.strata.testkit.cyclefixture.acyclic.sub.Below;

/** Arrows go down only. */
public class Root {
  Below below;
}

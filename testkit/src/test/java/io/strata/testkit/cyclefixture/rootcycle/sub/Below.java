package io.strata.testkit.cyclefixture.rootcycle.sub;

import io.strata.testkit.cyclefixture.rootcycle.Root;

public class Below {
  Root root;
}

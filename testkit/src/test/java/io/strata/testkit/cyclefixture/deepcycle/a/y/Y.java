package io.strata.testkit.cyclefixture.deepcycle.a.y;

import io.strata.testkit.cyclefixture.deepcycle.a.x.X;

public class Y {
  X x;
}

package io.strata.testkit.cyclefixture.deepcycle.a.x;

import io.strata.testkit.cyclefixture.deepcycle.a.y.Y;

/** Two packages of one subtree ({@code a}) use each other. */
public class X {
  Y y;
}

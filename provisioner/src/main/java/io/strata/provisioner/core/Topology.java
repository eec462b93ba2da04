package io.strata.provisioner.core;

import io.strata.api.Os;
import io.strata.provisioner.spec.ClusterSpec;
import io.strata.provisioner.spec.PoolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The machines a spec asks for, named so that the same spec always gives the same names. */
public final class Topology {
  public static final String ALLOCATOR_POOL = "alloc";

  private Topology() {}

  public static List<Machine> machines(ClusterSpec spec) {
    List<Machine> out = new ArrayList<>();
    var a = spec.allocator();
    for (int i = 0; i < a.count(); i++) {
      out.add(
          new Machine(
              nodeName(spec.name(), ALLOCATOR_POOL, i),
              NodeRole.ALLOCATOR,
              ALLOCATOR_POOL,
              i,
              Os.LINUX,
              a.size(),
              a.image(),
              a.diskGb(),
              Map.of(),
              false));
    }
    for (PoolSpec p : spec.pools()) {
      for (int i = 0; i < p.count(); i++) {
        out.add(
            new Machine(
                nodeName(spec.name(), p.name(), i),
                NodeRole.AGENT,
                p.name(),
                i,
                p.os(),
                p.size(),
                p.image(),
                p.diskGb(),
                p.attributes(),
                p.spot()));
      }
    }
    return out;
  }

  public static String nodeName(String cluster, String pool, int index) {
    return cluster + "-" + pool + "-" + index;
  }
}

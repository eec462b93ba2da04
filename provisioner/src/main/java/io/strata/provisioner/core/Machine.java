package io.strata.provisioner.core;

import io.strata.api.Os;
import java.util.Map;

/**
 * One machine as the spec wants it. Two machines with equal fields are interchangeable; a recorded
 * machine whose fields differ from the desired one must be replaced.
 *
 * @param name unique in the cluster: {@code <cluster>-<pool>-<index>}, {@code <cluster>-alloc-<i>}
 * @param pool the pool's name ({@code alloc} for allocators)
 * @param index position in the pool, from 0
 */
public record Machine(
    String name,
    NodeRole role,
    String pool,
    int index,
    Os os,
    String size,
    String image,
    int diskGb,
    Map<String, String> attributes,
    boolean spot) {
  public Machine {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** True if {@code other} would be the same machine: nothing to change. */
  public boolean sameShape(Machine other) {
    return equals(other);
  }
}

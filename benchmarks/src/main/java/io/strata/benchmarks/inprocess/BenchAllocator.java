package io.strata.benchmarks.inprocess;

import io.strata.allocator.server.config.AllocatorConfig;
import io.strata.allocator.server.config.AllocatorConfig.Principal;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The configuration of the in-process allocator that the control-plane benchmarks (placement, DNS)
 * start: loopback, a free port, fixed tokens for the simulated agents and the admin client, 5 s
 * offer timeout, 60 s agent ping timeout, an allocation cycle every millisecond.
 */
public final class BenchAllocator {
  /** The admin principal's token. */
  public static final String ADMIN = "bench-admin-token-000000";

  /** The join token the simulated agents present. */
  public static final String JOIN = "bench-join-token-0000000";

  private BenchAllocator() {}

  /** The configuration, with its data in {@code dir}. */
  public static AllocatorConfig config(Path dir) {
    return new AllocatorConfig(
        dir.toString(),
        "127.0.0.1",
        0,
        JOIN,
        List.of(new Principal("admin", ADMIN, Set.of("*"), true)),
        5_000L,
        60_000L,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        1L);
  }
}

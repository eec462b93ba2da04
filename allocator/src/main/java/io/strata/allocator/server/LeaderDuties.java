package io.strata.allocator.server;

/**
 * Work that runs in the allocator's process only while it leads, such as the built-in frameworks:
 * they must never run on two allocators at once, and must follow the leadership to whichever
 * allocator holds it. A single allocator leads from its start to its close.
 */
public interface LeaderDuties {
  /** Nothing to do. */
  LeaderDuties NONE =
      new LeaderDuties() {
        @Override
        public void lead(AllocatorServer server) {}

        @Override
        public void stopLeading() {}
      };

  /**
   * Called once {@code server} leads and serves the whole API: for a single allocator before {@code
   * AllocatorServer.start} returns (an exception then fails the start), for one of an HA group on
   * its election thread (an exception is logged; the allocator leads on). Should return promptly;
   * failover waits for it.
   */
  void lead(AllocatorServer server);

  /**
   * Called when the allocator stops leading (stepped down, or closing), after it stopped serving
   * the API: the work must stop. Each call follows one {@link #lead}. Must not throw.
   */
  void stopLeading();
}

package io.strata.provisioner.apply;

import java.time.Duration;

/**
 * How apply runs.
 *
 * @param pollInterval between two polls of one machine's create
 * @param readyTimeout how long to wait for agents to join the allocator
 * @param readyPoll between two asks of the allocator
 * @param operationSlots when > 0, at most this many creates/deletes run at once, each holding its
 *     slot until the machine runs (Terraform's {@code -parallelism}); 0 means creates only hold a
 *     request slot of the {@code CloudGate} while a request is in flight, so waiting for machines
 *     to boot costs no slot
 * @param tokenLifetime how long a new join token is accepted
 */
public record ApplyOptions(
    Duration pollInterval,
    Duration readyTimeout,
    Duration readyPoll,
    int operationSlots,
    Duration tokenLifetime) {
  public static ApplyOptions defaults() {
    return new ApplyOptions(
        Duration.ofSeconds(5),
        Duration.ofMinutes(20),
        Duration.ofSeconds(5),
        0,
        Duration.ofHours(24));
  }

  public ApplyOptions withPollInterval(Duration d) {
    return new ApplyOptions(d, readyTimeout, readyPoll, operationSlots, tokenLifetime);
  }

  public ApplyOptions withReady(Duration timeout, Duration poll) {
    return new ApplyOptions(pollInterval, timeout, poll, operationSlots, tokenLifetime);
  }

  public ApplyOptions withOperationSlots(int slots) {
    return new ApplyOptions(pollInterval, readyTimeout, readyPoll, slots, tokenLifetime);
  }
}

package io.strata.cli;

import io.strata.cli.output.CliException;
import io.strata.cli.output.ExitCodes;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The ports of a cluster that {@code strata provision} starts on this machine (the {@code local}
 * cloud), apart from {@code strata up}'s (5050, task ports from 31000) and below the kernel's
 * ephemeral range (32768-60999 on Linux), where client connections and port-0 servers take theirs.
 *
 * <p>Slot {@code k} (0-9): allocator {@code 6000 + 100·k}, its agents the next ports, and task
 * ports {@code 11000 + 2000·k} onward, {@value #TASK_PORTS_PER_AGENT} per agent (64 agents fit in
 * the slot's 2000). A cluster without {@code local.port} takes the first slot that no other local
 * cluster records and whose ports are free, and keeps it (its launcher records the URL); with
 * {@code local.port} the task ports come from the slot the port falls in.
 *
 * @param allocator the allocator's port
 * @param taskPortBase agent i offers {@code taskPortBase + (i-1)·TASK_PORTS_PER_AGENT} onward
 */
record LocalPorts(int allocator, int taskPortBase) {
  static final int FIRST = 6000;
  static final int STEP = 100;
  static final int SLOTS = 10;
  static final int TASK_FIRST = 11_000;
  static final int TASK_BLOCK = 2000;
  static final int TASK_PORTS_PER_AGENT = 30;

  /** The ports for an allocator on {@code port}. */
  static LocalPorts of(int port) {
    int slot = Math.floorMod(Math.floorDiv(port - FIRST, STEP), SLOTS);
    return new LocalPorts(port, TASK_FIRST + TASK_BLOCK * slot);
  }

  /**
   * The allocator port for a cluster: the spec's, else the one its launcher recorded, else the
   * first slot that no other local cluster claims and whose ports are free.
   *
   * @param requested {@code local.port}, or null
   * @param recorded the port of this cluster's recorded allocator URL, or null
   * @param claimed the allocator ports other local clusters recorded
   * @param free whether a slot's ports (the allocator's and its agents') can be bound now
   * @throws CliException when every slot is taken
   */
  static int choose(Integer requested, Integer recorded, Set<Integer> claimed, IntPredicate free) {
    if (requested != null) {
      return requested;
    }
    if (recorded != null) {
      return recorded;
    }
    for (int k = 0; k < SLOTS; k++) {
      int port = FIRST + STEP * k;
      if (!claimed.contains(port) && free.test(port)) {
        return port;
      }
    }
    throw new CliException(
        ExitCodes.USAGE,
        "no free port for a local cluster: ports 6000-6999 are taken (by "
            + claimed.size()
            + " other local cluster(s) or other programs); set local.port in the spec");
  }
}

package io.strata.provisioner.contract;

import io.strata.provisioner.cloud.CloudGate;
import io.strata.provisioner.cloud.CloudProvider;
import io.strata.provisioner.spec.ClusterSpec;
import java.util.List;

/** One cloud (a fake, or this machine) as the contract kit drives it. */
public interface CloudFixture extends AutoCloseable {
  /** A spec for cluster {@code name} with an allocator and linux (and windows) pools. */
  ClusterSpec spec(String name, int linux, int windows);

  /** A new provider (with a new SDK client), as a new process would have. */
  CloudProvider provider(ClusterSpec spec, CloudGate gate);

  /** Names of the machines that booted: the fake allocator lists them as registered. */
  List<String> booted();

  /** Names of everything in the cloud tagged with the cluster. */
  List<String> tagged(String cluster);

  /** Names of the machines that exist in the cloud for the cluster. */
  List<String> machines(String cluster);

  /** Write requests the cloud has answered so far. */
  long writes();

  /** Writes beyond a bucket of {@code burst} refilled at {@code perSecond} are refused (429). */
  void throttleWrites(int burst, double perSecond);

  /** The next {@code n} requests fail with {@code status}. */
  void failNext(int n, int status);

  /** This machine will not boot. */
  void failBoot(String node);

  /** The bootstrap document the cloud received for a machine. */
  String userData(String node);

  /** Whether the cloud runs Windows machines. */
  default boolean runsWindows() {
    return true;
  }

  /** Whether throttling, 5xx bursts and unknown sizes/images can be injected. */
  default boolean injectsFaults() {
    return true;
  }

  /** Whether machines boot from the rendered bootstrap templates. */
  default boolean bootsFromTemplates() {
    return true;
  }

  @Override
  void close();
}

package io.strata.provisioner.cloud;

import io.strata.provisioner.core.Machine;
import io.strata.provisioner.core.NodeRecord;
import java.util.List;
import java.util.Map;

/**
 * One cloud (Azure, OpenStack, this machine) as the provisioner drives it. An instance serves one
 * cluster. Every method may block on the network; every call to the cloud goes through the {@link
 * CloudGate} given to the provider, and failures surface as {@link CloudException} (after the
 * gate's retries). Every resource created carries the tag {@code strata-cluster=<name>}. All
 * methods are safe to call from many threads at once.
 *
 * <p>The contract test kit ({@code CloudProviderContract}) checks all of this for each provider.
 */
public interface CloudProvider extends AutoCloseable {
  String TAG = "strata-cluster";

  /**
   * The cloud id (in {@link NodeProgress.Running#cloudIds()}) under which a provider records the
   * hostname a machine's agent registers with, when it is not the machine's name. Readiness matches
   * the allocator's agent list against it.
   */
  String HOSTNAME = "hostname";

  /**
   * Checks, creating nothing, that {@code creating} can be created: each size/flavor and image
   * exists, and the cores they need fit in the remaining quota. Returns one line per problem; empty
   * means go.
   */
  List<String> preflight(List<Machine> creating);

  /**
   * Creates the shared network (resource group, network, subnet, firewall rules; router and keypair
   * where the cloud has them) or finds it if it exists. Idempotent; blocks until done.
   *
   * @return the cloud ids to record
   */
  Map<String, String> ensureNetwork();

  /**
   * Sends the request that creates a machine and returns once the cloud accepted it, without
   * waiting for it to run. Idempotent by machine name: for a machine that exists already (an
   * interrupted apply), returns an operation on that machine.
   */
  NodeOperation startNode(NodeRequest request);

  /** Asks the cloud once how a create is going. */
  NodeProgress poll(NodeOperation operation);

  /** Deletes a machine and what was created for it; blocks until gone. Gone already is fine. */
  void deleteNode(NodeRecord node);

  /**
   * Deletes the shared network and every resource still tagged with this cluster (orphans of
   * interrupted runs). Blocks until gone; gone already is fine.
   */
  void deleteNetwork(Map<String, String> network);

  /** Everything in the cloud that carries this cluster's tag: for orphan detection. */
  List<TaggedResource> tagged();

  /**
   * The private address this machine will get, when the provider fixes it before creating the
   * machine; null when only the cloud knows, once the machine exists. When the first allocator's
   * address is known up front, agents are created alongside the allocators instead of after them.
   */
  default String plannedAddress(Machine machine) {
    return null;
  }

  /** The URL agents use to reach the allocator (inside the cluster network). */
  String allocatorEndpoint(NodeRecord allocator, int port);

  /** The bearer token for the allocator's operator API, when the provider holds one. */
  default String operatorToken() {
    return null;
  }

  /** The URL this machine uses to reach the allocator's operator API (from outside). */
  String operatorEndpoint(NodeRecord allocator, int port);

  @Override
  void close();
}

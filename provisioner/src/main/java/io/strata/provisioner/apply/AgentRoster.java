package io.strata.provisioner.apply;

import io.strata.api.client.AllocatorEndpoints;
import io.strata.api.client.ClusterTrust;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.AgentView;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who has joined the allocator. Ready means registered with the allocator, not "VM running". {@link
 * #registered()} may block on the network and throws when the allocator cannot be asked (yet); the
 * caller polls.
 */
@FunctionalInterface
public interface AgentRoster {
  /** Hostnames of the agents registered right now. */
  Set<String> registered();

  /** Releases what the roster holds (a ZooKeeper client for a {@code zk://} endpoint). */
  default void close() {}

  /**
   * Opens the roster of an allocator: its operator endpoint, the operator token (null if none is
   * known) and the cluster CA (PEM) to trust for an {@code https} endpoint (null: the JVM's).
   */
  @FunctionalInterface
  interface Source {
    /**
     * @param url the allocators: one URL or a comma-separated list (an HA cluster's public URLs,
     *     each asked in turn: see {@link #operatorApi()})
     */
    AgentRoster open(String url, String token, String caPem);
  }

  /**
   * The allocator's operator API over the network, trusting only the cluster CA for https. With
   * several allocators {@code url} is their comma-separated list, asked through the api's {@code
   * Failover}: a dead one is skipped, a standby's redirect followed, and a standby that redirects
   * to the leader's private address (unreachable from here) passed for the next one, so the leader
   * is reached by its own address.
   */
  static Source operatorApi() {
    return (url, token, caPem) -> {
      AllocatorEndpoints allocators = AllocatorEndpoints.parse(url);
      OperatorClient client =
          new OperatorClient(
              allocators, token, caPem == null ? null : ClusterTrust.fromPem(caPem).context());
      AgentRoster asked = of(client);
      return new AgentRoster() {
        @Override
        public Set<String> registered() {
          return asked.registered();
        }

        @Override
        public void close() {
          allocators.close();
        }
      };
    };
  }

  /** Asks the allocator's operator API ({@code GET /v1/agents}). */
  static AgentRoster of(OperatorClient client) {
    return () ->
        client.agents().stream()
            .map(AgentView::info)
            .map(info -> info.hostname())
            .collect(Collectors.toSet());
  }
}

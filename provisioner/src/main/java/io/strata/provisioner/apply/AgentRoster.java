package io.strata.provisioner.apply;

import io.strata.api.client.ClusterTrust;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.AgentView;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
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
   * several allocators {@code url} is their comma-separated list: each is asked in turn until one
   * answers (a standby redirects to the leader's private address, which may not be reachable from
   * here, so the answering one is the leader reached by its own address).
   */
  static Source operatorApi() {
    return (url, token, caPem) -> {
      List<AgentRoster> each = new ArrayList<>();
      for (String one : url.split(",")) {
        each.add(
            of(
                new OperatorClient(
                    URI.create(one.strip()),
                    token,
                    caPem == null ? null : ClusterTrust.fromPem(caPem).context())));
      }
      return firstAnswering(each);
    };
  }

  /** Asks each roster in turn; the first answer counts; if none answers, the last failure. */
  static AgentRoster firstAnswering(List<AgentRoster> rosters) {
    if (rosters.size() == 1) {
      return rosters.get(0);
    }
    return () -> {
      RuntimeException last = null;
      for (AgentRoster r : rosters) {
        try {
          return r.registered();
        } catch (RuntimeException e) {
          last = e;
        }
      }
      throw last;
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

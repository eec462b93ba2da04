package io.strata.provisioner.apply;

import io.strata.api.client.ClusterTrust;
import io.strata.api.client.OperatorClient;
import io.strata.api.operator.AgentView;
import java.net.URI;
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

  /**
   * Opens the roster of an allocator: its operator endpoint, the operator token (null if none is
   * known) and the cluster CA (PEM) to trust for an {@code https} endpoint (null: the JVM's).
   */
  @FunctionalInterface
  interface Source {
    AgentRoster open(String url, String token, String caPem);
  }

  /** The allocator's operator API over the network, trusting only the cluster CA for https. */
  static Source operatorApi() {
    return (url, token, caPem) ->
        of(
            new OperatorClient(
                URI.create(url),
                token,
                caPem == null ? null : ClusterTrust.fromPem(caPem).context()));
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

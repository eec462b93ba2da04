package io.strata.provisioner.apply;

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

  /** Asks the allocator's operator API ({@code GET /v1/agents}). */
  static AgentRoster of(OperatorClient client) {
    return () ->
        client.agents().stream()
            .map(AgentView::info)
            .map(info -> info.hostname())
            .collect(Collectors.toSet());
  }
}

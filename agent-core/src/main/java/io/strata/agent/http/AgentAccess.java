package io.strata.agent.http;

import io.strata.api.json.Problem;
import java.util.Optional;

/** Who may call the agent's endpoint (every route but {@code /health}). */
public interface AgentAccess {
  /**
   * Whether a request with this {@code Authorization} header may proceed: empty if so, else the
   * problem to answer (401). Must not block; called on every request.
   */
  Optional<Problem> check(String authorization);
}

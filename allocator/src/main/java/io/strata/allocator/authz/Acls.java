package io.strata.allocator.authz;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.strata.api.json.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's ACLs (the {@code acls} field of the allocator's configuration), in the shape of
 * Mesos' {@code --acls}: one list per action, checked in order before the rules the principals' own
 * settings imply ({@link Authorizer}). {@code permissive} decides when no entry matches; it
 * defaults to false (Mesos defaults to true): what is not granted is refused.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Acls(
    Boolean permissive,
    @JsonProperty("register_frameworks") List<Acl> registerFrameworks,
    @JsonProperty("teardown_frameworks") List<Acl> teardownFrameworks,
    @JsonProperty("reserve_resources") List<Acl> reserveResources,
    @JsonProperty("unreserve_resources") List<Acl> unreserveResources,
    @JsonProperty("update_quotas") List<Acl> updateQuotas,
    @JsonProperty("update_weights") List<Acl> updateWeights,
    @JsonProperty("drain_agents") List<Acl> drainAgents,
    @JsonProperty("reactivate_agents") List<Acl> reactivateAgents,
    @JsonProperty("revoke_agents") List<Acl> revokeAgents,
    @JsonProperty("manage_join_tokens") List<Acl> manageJoinTokens,
    @JsonProperty("view") List<Acl> view,
    @JsonProperty("run_workloads") List<Acl> runWorkloads) {

  /** No entries, not permissive: only what the principals' settings grant. */
  public static final Acls NONE =
      new Acls(null, null, null, null, null, null, null, null, null, null, null, null, null);

  public Acls {
    permissive = permissive != null && permissive;
    Checks c = new Checks();
    c.noNullElements("register_frameworks", registerFrameworks);
    c.noNullElements("teardown_frameworks", teardownFrameworks);
    c.noNullElements("reserve_resources", reserveResources);
    c.noNullElements("unreserve_resources", unreserveResources);
    c.noNullElements("update_quotas", updateQuotas);
    c.noNullElements("update_weights", updateWeights);
    c.noNullElements("drain_agents", drainAgents);
    c.noNullElements("reactivate_agents", reactivateAgents);
    c.noNullElements("revoke_agents", revokeAgents);
    c.noNullElements("manage_join_tokens", manageJoinTokens);
    c.noNullElements("view", view);
    c.noNullElements("run_workloads", runWorkloads);
    c.done();
    registerFrameworks = copy(registerFrameworks);
    teardownFrameworks = copy(teardownFrameworks);
    reserveResources = copy(reserveResources);
    unreserveResources = copy(unreserveResources);
    updateQuotas = copy(updateQuotas);
    updateWeights = copy(updateWeights);
    drainAgents = copy(drainAgents);
    reactivateAgents = copy(reactivateAgents);
    revokeAgents = copy(revokeAgents);
    manageJoinTokens = copy(manageJoinTokens);
    view = copy(view);
    runWorkloads = copy(runWorkloads);
  }

  private static List<Acl> copy(List<Acl> acls) {
    return acls == null ? List.of() : List.copyOf(acls);
  }

  /** The entries for {@code action}, in order (none for {@link Action#ACT_AS_FRAMEWORK}). */
  public List<Acl> of(Action action) {
    return switch (action) {
      case REGISTER_FRAMEWORKS -> registerFrameworks;
      case TEARDOWN_FRAMEWORKS -> teardownFrameworks;
      case RESERVE_RESOURCES -> reserveResources;
      case UNRESERVE_RESOURCES -> unreserveResources;
      case UPDATE_QUOTAS -> updateQuotas;
      case UPDATE_WEIGHTS -> updateWeights;
      case DRAIN_AGENTS -> drainAgents;
      case REACTIVATE_AGENTS -> reactivateAgents;
      case REVOKE_AGENTS -> revokeAgents;
      case MANAGE_JOIN_TOKENS -> manageJoinTokens;
      case VIEW -> view;
      case RUN_WORKLOADS -> runWorkloads;
      case ACT_AS_FRAMEWORK -> List.of();
    };
  }

  /** Every entry, with its action: for listing. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Action a : Action.values()) {
      for (Acl acl : of(a)) {
        out.add(a.key() + " " + acl);
      }
    }
    return out;
  }
}

package io.strata.allocator.server.master;

import io.strata.allocator.state.RoleRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.api.json.Violation;
import io.strata.api.operator.Quota;
import io.strata.api.operator.RoleConfig;
import io.strata.api.operator.RoleView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Roles' weights and quotas, set by operators. A quota must fit the role tree ({@link
 * QuotaHierarchy}); a refusal is 409 with the field and the conflicting role.
 */
public final class RoleOps {
  private final Master m;

  RoleOps(Master master) {
    this.m = master;
  }

  public RoleView configure(String role, RoleConfig config) {
    return m.run(
        c -> {
          RoleRecord old =
              m.durable().roles().getOrDefault(role, new RoleRecord(role, 1.0, Quota.NONE));
          if (config.quota() != null) {
            Map<String, Quota> quotas = new TreeMap<>();
            m.durable().roles().forEach((name, r) -> quotas.put(name, r.quota()));
            List<Violation> conflicts = QuotaHierarchy.check(role, config.quota(), quotas);
            if (!conflicts.isEmpty()) {
              throw ApiError.invalid(409, "Quota conflicts with the role tree", conflicts);
            }
          }
          RoleRecord updated =
              new RoleRecord(
                  role,
                  config.weight() == null ? old.weight() : config.weight(),
                  config.quota() == null ? old.quota() : config.quota());
          m.core.setWeight(role, updated.weight());
          m.core.setQuota(role, updated.quota());
          c.journal(new StateEvent.RoleConfigured(updated));
          c.allocate();
          return m.views().roleLocked(role);
        });
  }
}

package io.strata.allocator.server;

import io.strata.allocator.state.RoleRecord;
import io.strata.allocator.state.StateEvent;
import io.strata.api.operator.Quota;
import io.strata.api.operator.RoleConfig;
import io.strata.api.operator.RoleView;

/** Roles' weights and quotas, set by operators. */
final class RoleOps {
  private final Master m;

  RoleOps(Master master) {
    this.m = master;
  }

  RoleView configure(String role, RoleConfig config) {
    return m.run(
        c -> {
          RoleRecord old = m.roles.getOrDefault(role, new RoleRecord(role, 1.0, Quota.NONE));
          RoleRecord updated =
              new RoleRecord(
                  role,
                  config.weight() == null ? old.weight() : config.weight(),
                  config.quota() == null ? old.quota() : config.quota());
          m.core.setWeight(role, updated.weight());
          m.core.setQuota(role, updated.quota());
          m.roles.put(role, updated);
          c.journal(new StateEvent.RoleConfigured(updated));
          c.allocate();
          return m.views().roleLocked(role);
        });
  }
}

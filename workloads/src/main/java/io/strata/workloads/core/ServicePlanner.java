package io.strata.workloads.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reconciles a service app's desired state with its instances and returns the actions that move it
 * closer, Kubernetes-style: scaling, restarts (a dead instance is simply missing) and rolling
 * updates are one computation.
 *
 * <ol>
 *   <li>Current-version instances beyond the desired count are killed: never-launched first, then
 *       starting, unhealthy, and the newest healthy ones.
 *   <li>Outdated instances (old version, or on a draining agent) that are not healthy are killed:
 *       that costs no availability.
 *   <li>Outdated healthy instances are killed only while at least {@code instances -
 *       maxUnavailable} healthy instances remain.
 *   <li>New instances are created up to the desired count, but while outdated ones remain the total
 *       stays within {@code instances + maxSurge}.
 * </ol>
 *
 * Called again after every change (status update, health change, scale, new version), this never
 * takes the healthy count below {@code instances - maxUnavailable} by its own kills.
 */
public final class ServicePlanner {
  private ServicePlanner() {}

  /**
   * @param version the app's current version
   * @param desired how many instances the app should have
   * @param instances the app's instances, oldest first
   */
  public static List<ServiceAction> plan(
      long version, int desired, RollingUpdate update, List<ServiceInstance> instances) {
    List<ServiceAction> actions = new ArrayList<>();
    List<ServiceInstance> current = new ArrayList<>();
    List<ServiceInstance> outdated = new ArrayList<>();
    int healthy = 0;
    for (ServiceInstance i : instances) {
      if (!i.phase().isLive()) {
        continue;
      }
      (i.version() == version && !i.replace() ? current : outdated).add(i);
      if (i.healthy()) {
        healthy++;
      }
    }
    int live = current.size() + outdated.size();

    int currentCount = current.size();
    if (currentCount > desired) {
      List<ServiceInstance> byExpendability = new ArrayList<>(current);
      Collections.reverse(byExpendability); // among equals, the newest go first
      byExpendability.sort(EXPENDABLE_FIRST);
      for (ServiceInstance i : byExpendability.subList(0, currentCount - desired)) {
        actions.add(new ServiceAction.Kill(i.taskId(), "scaled down to " + desired));
        live--;
        if (i.healthy()) {
          healthy--;
        }
      }
      currentCount = desired;
    }

    List<ServiceInstance> outdatedHealthy = new ArrayList<>();
    for (ServiceInstance i : outdated) {
      if (i.healthy()) {
        outdatedHealthy.add(i);
      } else {
        actions.add(new ServiceAction.Kill(i.taskId(), replacedWhy(i, version)));
        live--;
      }
    }

    int kills =
        Math.min(
            outdatedHealthy.size(), Math.max(0, healthy - (desired - update.maxUnavailable())));
    for (ServiceInstance i : outdatedHealthy.subList(0, kills)) {
      actions.add(new ServiceAction.Kill(i.taskId(), replacedWhy(i, version)));
      live--;
    }
    boolean rolling = outdatedHealthy.size() > kills;

    int missing = desired - currentCount;
    int room = rolling ? desired + update.maxSurge() - live : missing;
    int launch = Math.max(0, Math.min(missing, room));
    if (launch > 0) {
      actions.add(new ServiceAction.Launch(launch));
    }
    return List.copyOf(actions);
  }

  private static String replacedWhy(ServiceInstance i, long version) {
    return i.version() != version
        ? "replaced by version " + version + " (rolling update)"
        : "moved off a draining agent";
  }

  /** Never launched, then starting, unreachable, unhealthy, then healthy; later before earlier. */
  private static final Comparator<ServiceInstance> EXPENDABLE_FIRST =
      Comparator.comparingInt(ServicePlanner::expendability);

  private static int expendability(ServiceInstance i) {
    return switch (i.phase()) {
      case PENDING -> 0;
      case LAUNCHING -> 1;
      case UNREACHABLE -> 2;
      case RUNNING -> i.healthy() ? 4 : 3;
      case KILLING -> 5;
    };
  }
}

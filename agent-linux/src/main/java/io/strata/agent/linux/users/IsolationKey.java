package io.strata.agent.linux.users;

import io.strata.api.FrameworkId;
import io.strata.api.TaskInfo;

/**
 * Which tasks share a uid: those of one app (label {@code strata.app}, set by the services
 * framework) or of one job (label {@code strata.job}, set by the jobs framework) of one framework;
 * a framework that labels its tasks with neither gets one uid for all of them. The framework id is
 * always part of the key, so no framework can choose labels that put its tasks on another's uid.
 */
public final class IsolationKey {
  /** The labels that split a framework's tasks into apps, in the order they are looked at. */
  public static final String APP_LABEL = "strata.app";

  public static final String JOB_LABEL = "strata.job";

  private IsolationKey() {}

  public static String of(FrameworkId framework, TaskInfo task) {
    String app = task.labels().get(APP_LABEL);
    if (app != null) {
      return escape(framework.value()) + "/app/" + escape(app);
    }
    String job = task.labels().get(JOB_LABEL);
    if (job != null) {
      return escape(framework.value()) + "/job/" + escape(job);
    }
    return escape(framework.value());
  }

  /** '/' and '\\' escaped: the first bare '/' ends the framework's part, whatever ids contain. */
  static String escape(String part) {
    return part.replace("\\", "\\\\").replace("/", "\\/");
  }
}

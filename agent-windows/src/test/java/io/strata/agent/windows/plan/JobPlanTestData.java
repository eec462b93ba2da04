package io.strata.agent.windows.plan;

import io.strata.api.Resources;
import io.strata.api.TaskInfo;

/** The task and spec of {@link JobPlanTest}, for tests of the executor. */
public final class JobPlanTestData {
  public static final LaunchSpec SPEC = JobPlanTest.SPEC;

  private JobPlanTestData() {}

  /** 2 CPUs of 8, 512 MiB, 64 processes. */
  public static TaskInfo task() {
    return JobPlanTest.task(Resources.of(2000, 512L << 20), null, 64L);
  }
}

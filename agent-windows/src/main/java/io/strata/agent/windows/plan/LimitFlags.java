package io.strata.agent.windows.plan;

import java.util.ArrayList;
import java.util.List;

/** Names for JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags bits (values of winnt.h). */
public final class LimitFlags {
  public static final int ACTIVE_PROCESS = 0x0000_0008;
  public static final int JOB_MEMORY = 0x0000_0200;
  public static final int DIE_ON_UNHANDLED_EXCEPTION = 0x0000_0400;
  public static final int KILL_ON_JOB_CLOSE = 0x0000_2000;

  private static final String[] NAMES = {
    "WORKINGSET",
    "PROCESS_TIME",
    "JOB_TIME",
    "ACTIVE_PROCESS",
    "AFFINITY",
    "PRIORITY_CLASS",
    "PRESERVE_JOB_TIME",
    "SCHEDULING_CLASS",
    "PROCESS_MEMORY",
    "JOB_MEMORY",
    "DIE_ON_UNHANDLED_EXCEPTION",
    "BREAKAWAY_OK",
    "SILENT_BREAKAWAY_OK",
    "KILL_ON_JOB_CLOSE",
    "SUBSET_AFFINITY"
  };

  private LimitFlags() {}

  public static String describe(int flags) {
    List<String> names = new ArrayList<>();
    for (int bit = 0; bit < 32; bit++) {
      if ((flags & (1 << bit)) != 0) {
        names.add(bit < NAMES.length ? NAMES[bit] : "0x" + Integer.toHexString(1 << bit));
      }
    }
    return names.isEmpty() ? "0" : String.join("|", names);
  }
}

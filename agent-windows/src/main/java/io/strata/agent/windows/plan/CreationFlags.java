package io.strata.agent.windows.plan;

import java.util.ArrayList;
import java.util.List;

/** The CreateProcessW creation flags a task launch uses (values of winbase.h). */
public final class CreationFlags {
  public static final int CREATE_SUSPENDED = 0x0000_0004;
  public static final int CREATE_NEW_PROCESS_GROUP = 0x0000_0200;
  public static final int CREATE_UNICODE_ENVIRONMENT = 0x0000_0400;
  public static final int CREATE_NO_WINDOW = 0x0800_0000;

  /**
   * Every task: suspended until in its job, its own process group for CTRL_BREAK, a Unicode
   * environment. No CREATE_NO_WINDOW: an agent running in a console shares it with its tasks, so
   * CTRL_BREAK reaches them directly; a service has none, each task gets its own (invisible in
   * session 0) and the agent attaches to it to send CTRL_BREAK.
   */
  public static final int TASK =
      CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP | CREATE_UNICODE_ENVIRONMENT;

  private CreationFlags() {}

  public static String describe(int flags) {
    List<String> names = new ArrayList<>();
    int rest = flags;
    int[] bits = {
      CREATE_SUSPENDED, CREATE_NEW_PROCESS_GROUP, CREATE_UNICODE_ENVIRONMENT, CREATE_NO_WINDOW
    };
    String[] labels = {
      "CREATE_SUSPENDED",
      "CREATE_NEW_PROCESS_GROUP",
      "CREATE_UNICODE_ENVIRONMENT",
      "CREATE_NO_WINDOW"
    };
    for (int i = 0; i < bits.length; i++) {
      if ((flags & bits[i]) != 0) {
        names.add(labels[i]);
        rest &= ~bits[i];
      }
    }
    if (rest != 0) {
      names.add("0x" + Integer.toHexString(rest));
    }
    return names.isEmpty() ? "0" : String.join("|", names);
  }
}

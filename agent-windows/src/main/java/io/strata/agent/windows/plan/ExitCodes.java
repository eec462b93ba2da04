package io.strata.agent.windows.plan;

import java.util.Map;

/** Readable exit codes: Windows reports crashes as NTSTATUS values, e.g. 0xC0000005. */
public final class ExitCodes {
  /** The exit code the agent gives a job it terminates (like 128 + SIGKILL on Linux). */
  public static final int TERMINATED_BY_AGENT = 137;

  private static final Map<Integer, String> NTSTATUS =
      Map.of(
          0xC0000005, "STATUS_ACCESS_VIOLATION",
          0xC0000017, "STATUS_NO_MEMORY",
          0xC000001D, "STATUS_ILLEGAL_INSTRUCTION",
          0xC0000094, "STATUS_INTEGER_DIVIDE_BY_ZERO",
          0xC00000FD, "STATUS_STACK_OVERFLOW",
          0xC000013A, "STATUS_CONTROL_C_EXIT",
          0xC0000409, "STATUS_STACK_BUFFER_OVERRUN",
          0xC0000142, "STATUS_DLL_INIT_FAILED",
          0xC0000135, "STATUS_DLL_NOT_FOUND");

  private ExitCodes() {}

  public static String describe(int code) {
    String name = NTSTATUS.get(code);
    if (name != null) {
      return "0x" + Integer.toHexString(code).toUpperCase() + " (" + name + ")";
    }
    return Integer.toString(code);
  }
}

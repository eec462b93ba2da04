package io.strata.agent.windows.jna;

/**
 * Values from the Windows SDK headers (winnt.h, winbase.h, winerror.h, wincon.h) that the job
 * object code uses. Checked against the SDK documentation; the constants test pins each value.
 */
public final class JobConstants {
  private JobConstants() {}

  // JOBOBJECTINFOCLASS (winnt.h)
  public static final int JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION = 1;
  public static final int JOB_OBJECT_BASIC_LIMIT_INFORMATION = 2;
  public static final int JOB_OBJECT_BASIC_PROCESS_ID_LIST = 3;
  public static final int JOB_OBJECT_ASSOCIATE_COMPLETION_PORT_INFORMATION = 7;
  public static final int JOB_OBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION = 8;
  public static final int JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9;
  public static final int JOB_OBJECT_CPU_RATE_CONTROL_INFORMATION = 15;

  // JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags (winnt.h)
  public static final int JOB_OBJECT_LIMIT_WORKINGSET = 0x0000_0001;
  public static final int JOB_OBJECT_LIMIT_PROCESS_TIME = 0x0000_0002;
  public static final int JOB_OBJECT_LIMIT_JOB_TIME = 0x0000_0004;
  public static final int JOB_OBJECT_LIMIT_ACTIVE_PROCESS = 0x0000_0008;
  public static final int JOB_OBJECT_LIMIT_AFFINITY = 0x0000_0010;
  public static final int JOB_OBJECT_LIMIT_PRIORITY_CLASS = 0x0000_0020;
  public static final int JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME = 0x0000_0040;
  public static final int JOB_OBJECT_LIMIT_SCHEDULING_CLASS = 0x0000_0080;
  public static final int JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x0000_0100;
  public static final int JOB_OBJECT_LIMIT_JOB_MEMORY = 0x0000_0200;
  public static final int JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x0000_0400;
  public static final int JOB_OBJECT_LIMIT_BREAKAWAY_OK = 0x0000_0800;
  public static final int JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK = 0x0000_1000;
  public static final int JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x0000_2000;
  public static final int JOB_OBJECT_LIMIT_SUBSET_AFFINITY = 0x0000_4000;

  // JOBOBJECT_CPU_RATE_CONTROL_INFORMATION.ControlFlags (winnt.h)
  public static final int JOB_OBJECT_CPU_RATE_CONTROL_ENABLE = 0x1;
  public static final int JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED = 0x2;
  public static final int JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP = 0x4;
  public static final int JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY = 0x8;
  public static final int JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE = 0x10;

  /** CpuRate is in 1/10000 of all the machine's processors (100% = 10000). */
  public static final int CPU_RATE_FULL = 10_000;

  // Completion port messages (winnt.h); lpOverlapped carries the process id where relevant.
  public static final int JOB_OBJECT_MSG_END_OF_JOB_TIME = 1;
  public static final int JOB_OBJECT_MSG_END_OF_PROCESS_TIME = 2;
  public static final int JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT = 3;
  public static final int JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO = 4;
  public static final int JOB_OBJECT_MSG_NEW_PROCESS = 6;
  public static final int JOB_OBJECT_MSG_EXIT_PROCESS = 7;
  public static final int JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS = 8;
  public static final int JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT = 9;
  public static final int JOB_OBJECT_MSG_JOB_MEMORY_LIMIT = 10;
  public static final int JOB_OBJECT_MSG_NOTIFICATION_LIMIT = 11;

  // Job object access rights (winnt.h)
  public static final int JOB_OBJECT_ASSIGN_PROCESS = 0x0001;
  public static final int JOB_OBJECT_SET_ATTRIBUTES = 0x0002;
  public static final int JOB_OBJECT_QUERY = 0x0004;
  public static final int JOB_OBJECT_TERMINATE = 0x0008;
  public static final int SYNCHRONIZE = 0x0010_0000;
  public static final int STANDARD_RIGHTS_REQUIRED = 0x000F_0000;
  public static final int JOB_OBJECT_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3F;

  // Process access rights and creation flags (winnt.h, winbase.h)
  public static final int PROCESS_TERMINATE = 0x0001;
  public static final int PROCESS_DUP_HANDLE = 0x0040;
  public static final int PROCESS_SET_QUOTA = 0x0100;
  public static final int PROCESS_QUERY_INFORMATION = 0x0400;
  public static final int PROCESS_VM_READ = 0x0010;
  public static final int PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
  public static final int CREATE_SUSPENDED = 0x0000_0004;
  public static final int DETACHED_PROCESS = 0x0000_0008;
  public static final int CREATE_NEW_CONSOLE = 0x0000_0010;
  public static final int CREATE_NEW_PROCESS_GROUP = 0x0000_0200;
  public static final int CREATE_UNICODE_ENVIRONMENT = 0x0000_0400;
  public static final int CREATE_BREAKAWAY_FROM_JOB = 0x0100_0000;
  public static final int CREATE_NO_WINDOW = 0x0800_0000;
  public static final int STARTF_USESTDHANDLES = 0x0000_0100;
  public static final int STILL_ACTIVE = 259;

  // Files (winnt.h, fileapi.h)
  public static final int GENERIC_WRITE = 0x4000_0000;
  public static final int FILE_APPEND_DATA = 0x0004;
  public static final int FILE_SHARE_READ = 0x1;
  public static final int FILE_SHARE_WRITE = 0x2;
  public static final int FILE_SHARE_DELETE = 0x4;
  public static final int OPEN_ALWAYS = 4;
  public static final int FILE_ATTRIBUTE_NORMAL = 0x80;

  // Handles and waits (winbase.h)
  public static final int DUPLICATE_CLOSE_SOURCE = 0x1;
  public static final int DUPLICATE_SAME_ACCESS = 0x2;
  public static final int INFINITE = 0xFFFF_FFFF;
  public static final int WAIT_OBJECT_0 = 0;
  public static final int WAIT_TIMEOUT = 258;
  public static final int WAIT_FAILED = 0xFFFF_FFFF;

  // Consoles (wincon.h)
  public static final int CTRL_C_EVENT = 0;
  public static final int CTRL_BREAK_EVENT = 1;

  // Processor groups (winnt.h)
  public static final short ALL_PROCESSOR_GROUPS = (short) 0xFFFF;

  // Error codes (winerror.h)
  public static final int ERROR_FILE_NOT_FOUND = 2;
  public static final int ERROR_ACCESS_DENIED = 5;
  public static final int ERROR_INVALID_HANDLE = 6;
  public static final int ERROR_INVALID_PARAMETER = 87;
  public static final int ERROR_ALREADY_EXISTS = 183;
  public static final int ERROR_NOT_ENOUGH_QUOTA = 1816;

  // FormatMessage flags (winbase.h)
  public static final int FORMAT_MESSAGE_IGNORE_INSERTS = 0x0200;
  public static final int FORMAT_MESSAGE_FROM_SYSTEM = 0x1000;
}

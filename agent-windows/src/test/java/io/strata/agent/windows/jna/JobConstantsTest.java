package io.strata.agent.windows.jna;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.agent.windows.plan.CreationFlags;
import io.strata.agent.windows.plan.LimitFlags;
import org.junit.jupiter.api.Test;

/** The values of winnt.h / winbase.h / winerror.h, as published in the Windows SDK docs. */
class JobConstantsTest {

  @Test
  void informationClasses() {
    assertThat(JobConstants.JOB_OBJECT_BASIC_ACCOUNTING_INFORMATION).isEqualTo(1);
    assertThat(JobConstants.JOB_OBJECT_BASIC_LIMIT_INFORMATION).isEqualTo(2);
    assertThat(JobConstants.JOB_OBJECT_BASIC_PROCESS_ID_LIST).isEqualTo(3);
    assertThat(JobConstants.JOB_OBJECT_ASSOCIATE_COMPLETION_PORT_INFORMATION).isEqualTo(7);
    assertThat(JobConstants.JOB_OBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION).isEqualTo(8);
    assertThat(JobConstants.JOB_OBJECT_EXTENDED_LIMIT_INFORMATION).isEqualTo(9);
    assertThat(JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_INFORMATION).isEqualTo(15);
  }

  @Test
  void limitFlags() {
    assertThat(JobConstants.JOB_OBJECT_LIMIT_ACTIVE_PROCESS).isEqualTo(0x8);
    assertThat(JobConstants.JOB_OBJECT_LIMIT_JOB_MEMORY).isEqualTo(0x200);
    assertThat(JobConstants.JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION).isEqualTo(0x400);
    assertThat(JobConstants.JOB_OBJECT_LIMIT_BREAKAWAY_OK).isEqualTo(0x800);
    assertThat(JobConstants.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE).isEqualTo(0x2000);
    // The pure policy package keeps its own copies: they must agree.
    assertThat(LimitFlags.ACTIVE_PROCESS).isEqualTo(JobConstants.JOB_OBJECT_LIMIT_ACTIVE_PROCESS);
    assertThat(LimitFlags.JOB_MEMORY).isEqualTo(JobConstants.JOB_OBJECT_LIMIT_JOB_MEMORY);
    assertThat(LimitFlags.KILL_ON_JOB_CLOSE)
        .isEqualTo(JobConstants.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE);
    assertThat(LimitFlags.DIE_ON_UNHANDLED_EXCEPTION)
        .isEqualTo(JobConstants.JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION);
  }

  @Test
  void cpuRateControl() {
    assertThat(JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_ENABLE).isEqualTo(0x1);
    assertThat(JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED).isEqualTo(0x2);
    assertThat(JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP).isEqualTo(0x4);
    assertThat(JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY).isEqualTo(0x8);
    assertThat(JobConstants.JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE).isEqualTo(0x10);
  }

  @Test
  void completionPortMessages() {
    assertThat(JobConstants.JOB_OBJECT_MSG_END_OF_JOB_TIME).isEqualTo(1);
    assertThat(JobConstants.JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT).isEqualTo(3);
    assertThat(JobConstants.JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO).isEqualTo(4);
    assertThat(JobConstants.JOB_OBJECT_MSG_NEW_PROCESS).isEqualTo(6);
    assertThat(JobConstants.JOB_OBJECT_MSG_EXIT_PROCESS).isEqualTo(7);
    assertThat(JobConstants.JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS).isEqualTo(8);
    assertThat(JobConstants.JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT).isEqualTo(9);
    assertThat(JobConstants.JOB_OBJECT_MSG_JOB_MEMORY_LIMIT).isEqualTo(10);
  }

  @Test
  void processesHandlesAndErrors() {
    assertThat(JobConstants.CREATE_SUSPENDED)
        .isEqualTo(0x4)
        .isEqualTo(CreationFlags.CREATE_SUSPENDED);
    assertThat(JobConstants.CREATE_NEW_PROCESS_GROUP)
        .isEqualTo(0x200)
        .isEqualTo(CreationFlags.CREATE_NEW_PROCESS_GROUP);
    assertThat(JobConstants.CREATE_UNICODE_ENVIRONMENT)
        .isEqualTo(0x400)
        .isEqualTo(CreationFlags.CREATE_UNICODE_ENVIRONMENT);
    assertThat(JobConstants.CREATE_BREAKAWAY_FROM_JOB).isEqualTo(0x01000000);
    assertThat(JobConstants.DETACHED_PROCESS).isEqualTo(0x8);
    assertThat(JobConstants.JOB_OBJECT_ALL_ACCESS).isEqualTo(0x1F003F);
    assertThat(JobConstants.CTRL_BREAK_EVENT).isEqualTo(1);
    assertThat(JobConstants.ALL_PROCESSOR_GROUPS).isEqualTo((short) 0xFFFF);
    assertThat(JobConstants.STILL_ACTIVE).isEqualTo(259);
    assertThat(JobConstants.WAIT_TIMEOUT).isEqualTo(258);
    assertThat(JobConstants.ERROR_ALREADY_EXISTS).isEqualTo(183);
    assertThat(JobConstants.ERROR_FILE_NOT_FOUND).isEqualTo(2);
  }
}

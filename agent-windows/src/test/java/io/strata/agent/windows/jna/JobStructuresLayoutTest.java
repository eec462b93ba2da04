package io.strata.agent.windows.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.platform.win32.WinNT.IO_COUNTERS;
import io.strata.agent.windows.jna.JobStructures.AssociateCompletionPort;
import io.strata.agent.windows.jna.JobStructures.BasicAccountingInformation;
import io.strata.agent.windows.jna.JobStructures.BasicAndIoAccountingInformation;
import io.strata.agent.windows.jna.JobStructures.BasicLimitInformation;
import io.strata.agent.windows.jna.JobStructures.BasicProcessIdList;
import io.strata.agent.windows.jna.JobStructures.CpuRateControlInformation;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import io.strata.agent.windows.jna.JobStructures.ProcessMemoryCounters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job structures as x64 Windows lays them out (sizes and offsets from winnt.h / the SDK
 * documentation). The structures use MSVC alignment whatever the host, so measuring them on Linux
 * x64 measures what Windows x64 sees; the same test runs on Windows in CI.
 */
class JobStructuresLayoutTest {

  @BeforeAll
  static void onA64BitHost() {
    // Windows on ARM64 has the same LLP64 layout; 32-bit hosts would measure another ABI.
    assumeTrue(Platform.is64Bit() && Native.POINTER_SIZE == 8, "layouts are checked for 64-bit");
  }

  @Test
  void basicLimitInformation() {
    BasicLimitInformation s = new BasicLimitInformation();
    assertThat(s.size()).isEqualTo(64);
    assertThat(s.offsetOf("PerProcessUserTimeLimit")).isZero();
    assertThat(s.offsetOf("PerJobUserTimeLimit")).isEqualTo(8);
    assertThat(s.offsetOf("LimitFlags")).isEqualTo(16);
    assertThat(s.offsetOf("MinimumWorkingSetSize")).isEqualTo(24);
    assertThat(s.offsetOf("MaximumWorkingSetSize")).isEqualTo(32);
    assertThat(s.offsetOf("ActiveProcessLimit")).isEqualTo(40);
    assertThat(s.offsetOf("Affinity")).isEqualTo(48);
    assertThat(s.offsetOf("PriorityClass")).isEqualTo(56);
    assertThat(s.offsetOf("SchedulingClass")).isEqualTo(60);
  }

  @Test
  void ioCounters() {
    assertThat(new IO_COUNTERS().size()).isEqualTo(48);
  }

  @Test
  void extendedLimitInformation() {
    ExtendedLimitInformation s = new ExtendedLimitInformation();
    assertThat(s.size()).isEqualTo(144);
    assertThat(s.offsetOf("BasicLimitInformation")).isZero();
    assertThat(s.offsetOf("IoInfo")).isEqualTo(64);
    assertThat(s.offsetOf("ProcessMemoryLimit")).isEqualTo(112);
    assertThat(s.offsetOf("JobMemoryLimit")).isEqualTo(120);
    assertThat(s.offsetOf("PeakProcessMemoryUsed")).isEqualTo(128);
    assertThat(s.offsetOf("PeakJobMemoryUsed")).isEqualTo(136);
  }

  @Test
  void cpuRateControlInformation() {
    CpuRateControlInformation s = new CpuRateControlInformation();
    assertThat(s.size()).isEqualTo(8);
    assertThat(s.offsetOf("CpuRate")).isEqualTo(4);
  }

  @Test
  void basicAccountingInformation() {
    BasicAccountingInformation s = new BasicAccountingInformation();
    assertThat(s.size()).isEqualTo(48);
    assertThat(s.offsetOf("TotalPageFaultCount")).isEqualTo(32);
    assertThat(s.offsetOf("ActiveProcesses")).isEqualTo(40);
    assertThat(s.offsetOf("TotalTerminatedProcesses")).isEqualTo(44);
    assertThat(new BasicAndIoAccountingInformation().size()).isEqualTo(96);
    assertThat(new BasicAndIoAccountingInformation().offsetOf("IoInfo")).isEqualTo(48);
  }

  @Test
  void associateCompletionPort() {
    AssociateCompletionPort s = new AssociateCompletionPort();
    assertThat(s.size()).isEqualTo(16);
    assertThat(s.offsetOf("CompletionPort")).isEqualTo(8);
  }

  @Test
  void processIdListAndMemoryCounters() {
    assertThat(new BasicProcessIdList(1).size()).isEqualTo(16);
    assertThat(new BasicProcessIdList(256).size()).isEqualTo(8 + 256 * 8);
    assertThat(new BasicProcessIdList(4).offsetOf("ProcessIdList")).isEqualTo(8);
    ProcessMemoryCounters counters = new ProcessMemoryCounters();
    assertThat(counters.size()).isEqualTo(72);
    assertThat(counters.cb).isEqualTo(72);
    assertThat(counters.offsetOf("PagefileUsage")).isEqualTo(56);
  }

  @Test
  void writtenBytesLandWhereWindowsReadsThem() {
    ExtendedLimitInformation s = new ExtendedLimitInformation();
    s.BasicLimitInformation.LimitFlags = 0x2200;
    s.JobMemoryLimit = new com.sun.jna.platform.win32.BaseTSD.SIZE_T(64L << 20);
    s.write();
    assertThat(s.getPointer().getInt(16)).isEqualTo(0x2200);
    assertThat(s.getPointer().getLong(120)).isEqualTo(64L << 20);
  }
}

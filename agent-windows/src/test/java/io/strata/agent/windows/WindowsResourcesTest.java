package io.strata.agent.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;

import com.sun.jna.platform.win32.WinBase.MEMORYSTATUSEX;
import com.sun.jna.platform.win32.WinDef.DWORDLONG;
import com.sun.jna.platform.win32.WinNT.LARGE_INTEGER;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.api.PortRanges;
import io.strata.api.Resources;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WindowsResourcesTest {
  final JobKernel32 k = mock(JobKernel32.class);

  @Test
  void discoversProcessorsOfAllGroupsMemoryAndDisk() {
    doReturn(72).when(k).GetActiveProcessorCount(JobConstants.ALL_PROCESSOR_GROUPS);
    doAnswer(
            a -> {
              a.<MEMORYSTATUSEX>getArgument(0).ullTotalPhys = new DWORDLONG(64L << 30);
              return true;
            })
        .when(k)
        .GlobalMemoryStatusEx(any());
    doAnswer(
            a -> {
              a.<LARGE_INTEGER>getArgument(1).u.value = 100L << 30;
              a.<LARGE_INTEGER>getArgument(2).u.value = 500L << 30;
              a.<LARGE_INTEGER>getArgument(3).u.value = 120L << 30;
              return true;
            })
        .when(k)
        .GetDiskFreeSpaceExW(anyString(), any(), any(), any());

    WindowsResources.Host host = WindowsResources.discover(k, Path.of("work"));

    assertThat(host).isEqualTo(new WindowsResources.Host(72, 64L << 30, 500L << 30, 100L << 30));
    assertThat(host.offer(2L << 30, 10L << 30, PortRanges.EMPTY))
        .isEqualTo(Resources.of(72_000, 62L << 30, 90L << 30));
  }

  @Test
  void aFailedDiscoveryNamesTheCall() {
    doReturn(0).when(k).GetActiveProcessorCount(eq(JobConstants.ALL_PROCESSOR_GROUPS));
    doReturn(87).when(k).lastError();
    doReturn("The parameter is incorrect.").when(k).errorMessage(87);
    assertThatThrownBy(() -> WindowsResources.discover(k, Path.of("work")))
        .hasMessage(
            "discovering processors: GetActiveProcessorCount failed: The parameter is incorrect."
                + " (Win32 error 87)");
  }
}

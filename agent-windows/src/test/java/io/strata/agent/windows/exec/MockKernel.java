package io.strata.agent.windows.exec;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyShort;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinBase.PROCESS_INFORMATION;
import com.sun.jna.platform.win32.WinDef.DWORD;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.ptr.IntByReference;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;
import io.strata.agent.windows.jna.JobStructures.ExtendedLimitInformation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Mockito mock of {@link JobKernel32} where every call succeeds, handing out distinct handles and
 * recording which were opened and closed: tests then make one call fail and check the cleanup.
 */
public final class MockKernel {
  public static final HANDLE PORT = handle(0x1);
  public static final HANDLE SELF = handle(-1);
  public static final HANDLE JOB = handle(0x100);
  public static final HANDLE STDOUT = handle(0x200);
  public static final HANDLE STDERR = handle(0x204);
  public static final HANDLE PROCESS = handle(0x300);
  public static final HANDLE THREAD = handle(0x304);
  public static final int PID = 4242;
  public static final int EXISTING_FLAGS = JobConstants.JOB_OBJECT_LIMIT_BREAKAWAY_OK;

  public final JobKernel32 k = mock(JobKernel32.class);
  public final List<HANDLE> opened = Collections.synchronizedList(new ArrayList<>());
  public final List<HANDLE> closed = Collections.synchronizedList(new ArrayList<>());
  public long peakJobMemory = 0;

  public static HANDLE handle(long value) {
    return new HANDLE(Pointer.createConstant(value));
  }

  public MockKernel() {
    when(k.GetCurrentProcess()).thenReturn(SELF);
    when(k.CreateJobObjectW(any(), anyString())).thenAnswer(a -> open(JOB));
    when(k.SetInformationJobObject(any(), anyInt(), any(), anyInt())).thenReturn(true);
    when(k.QueryInformationJobObject(any(), anyInt(), any(), anyInt(), any()))
        .thenAnswer(
            a -> {
              if (a.getArgument(2) instanceof ExtendedLimitInformation info) {
                info.BasicLimitInformation.LimitFlags = EXISTING_FLAGS;
                info.PeakJobMemoryUsed =
                    new com.sun.jna.platform.win32.BaseTSD.SIZE_T(peakJobMemory);
              }
              return true;
            });
    when(k.CreateFileW(anyString(), anyInt(), anyInt(), any(), anyInt(), anyInt(), isNull()))
        .thenAnswer(a -> open(a.<String>getArgument(0).endsWith("stderr") ? STDERR : STDOUT));
    when(k.CreateProcessW(
            isNull(),
            any(),
            isNull(),
            isNull(),
            anyBoolean(),
            anyInt(),
            any(),
            any(),
            any(),
            any()))
        .thenAnswer(
            a -> {
              PROCESS_INFORMATION info = a.getArgument(9);
              info.hProcess = open(PROCESS);
              info.hThread = open(THREAD);
              info.dwProcessId = new DWORD(PID);
              return true;
            });
    when(k.AssignProcessToJobObject(any(), any())).thenReturn(true);
    when(k.DuplicateHandle(any(), any(), any(), any(), anyInt(), anyBoolean(), anyInt()))
        .thenAnswer(
            a -> {
              HANDLEByReference target = a.getArgument(3);
              if (target != null) {
                target.setValue(handle(0x900));
              }
              return true;
            });
    when(k.ResumeThread(any())).thenReturn(1);
    when(k.CloseHandle(any()))
        .thenAnswer(
            a -> {
              closed.add(a.getArgument(0));
              return true;
            });
    when(k.TerminateJobObject(any(), anyInt())).thenReturn(true);
    when(k.TerminateProcess(any(), anyInt())).thenReturn(true);
    when(k.WaitForSingleObject(any(), anyInt())).thenReturn(JobConstants.WAIT_TIMEOUT);
    when(k.GetExitCodeProcess(any(), any())).thenReturn(true);
    when(k.GetActiveProcessorCount(anyShort())).thenReturn(8);
    when(k.errorMessage(anyInt())).thenAnswer(a -> "message for " + a.getArgument(0));
    when(k.errorMessage(eq(JobConstants.ERROR_ACCESS_DENIED))).thenReturn("Access is denied.");
  }

  HANDLE open(HANDLE h) {
    opened.add(h);
    return h;
  }

  /** The main process has exited with {@code code}. */
  public void exited(int code) {
    when(k.WaitForSingleObject(eq(PROCESS), anyInt())).thenReturn(JobConstants.WAIT_OBJECT_0);
    doAnswer(
            a -> {
              a.<IntByReference>getArgument(1).setValue(code);
              return true;
            })
        .when(k)
        .GetExitCodeProcess(eq(PROCESS), any());
  }
}

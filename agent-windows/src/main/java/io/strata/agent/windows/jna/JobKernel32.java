package io.strata.agent.windows.jna;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTRByReference;
import com.sun.jna.platform.win32.WinBase.FILETIME;
import com.sun.jna.platform.win32.WinBase.MEMORYSTATUSEX;
import com.sun.jna.platform.win32.WinBase.OVERLAPPED;
import com.sun.jna.platform.win32.WinBase.PROCESS_INFORMATION;
import com.sun.jna.platform.win32.WinBase.SECURITY_ATTRIBUTES;
import com.sun.jna.platform.win32.WinBase.STARTUPINFO;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.platform.win32.WinNT.LARGE_INTEGER;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;

/**
 * Every kernel32 call the Windows agent makes, in one interface: the job object functions
 * jna-platform does not map, plus the process, file, console, completion port and discovery calls
 * we need. Production code only ever talks to this interface, so a Mockito mock can stand in for
 * Windows in tests. Names carry the explicit {@code W} suffix where the SDK has A/W variants.
 *
 * <p>Contract of every {@code boolean} / {@code HANDLE} function: false or null means failure, and
 * {@link #lastError()} then holds the Win32 error code of that call (JNA records it right after the
 * native call, on the calling thread).
 */
public interface JobKernel32 extends StdCallLibrary {

  /** Loads kernel32.dll: only on Windows. */
  static JobKernel32 load() {
    return Native.load("kernel32", JobKernel32.class, W32APIOptions.UNICODE_OPTIONS);
  }

  // Job objects
  HANDLE CreateJobObjectW(SECURITY_ATTRIBUTES attributes, String name);

  HANDLE OpenJobObjectW(int desiredAccess, boolean inheritHandle, String name);

  boolean AssignProcessToJobObject(HANDLE job, HANDLE process);

  boolean SetInformationJobObject(HANDLE job, int infoClass, Structure info, int length);

  boolean QueryInformationJobObject(
      HANDLE job, int infoClass, Structure info, int length, IntByReference returnLength);

  boolean TerminateJobObject(HANDLE job, int exitCode);

  boolean IsProcessInJob(HANDLE process, HANDLE job, IntByReference result);

  // Processes and threads
  boolean CreateProcessW(
      String applicationName,
      char[] commandLine,
      SECURITY_ATTRIBUTES processAttributes,
      SECURITY_ATTRIBUTES threadAttributes,
      boolean inheritHandles,
      int creationFlags,
      Pointer environment,
      String currentDirectory,
      STARTUPINFO startupInfo,
      PROCESS_INFORMATION processInformation);

  /** Returns the previous suspend count, or -1 (0xFFFFFFFF) on failure. */
  int ResumeThread(HANDLE thread);

  boolean TerminateProcess(HANDLE process, int exitCode);

  boolean GetExitCodeProcess(HANDLE process, IntByReference exitCode);

  boolean GetProcessTimes(
      HANDLE process, FILETIME creation, FILETIME exit, FILETIME kernel, FILETIME user);

  HANDLE OpenProcess(int desiredAccess, boolean inheritHandle, int processId);

  HANDLE GetCurrentProcess();

  boolean DuplicateHandle(
      HANDLE sourceProcess,
      HANDLE source,
      HANDLE targetProcess,
      HANDLEByReference target,
      int desiredAccess,
      boolean inheritHandle,
      int options);

  /** WAIT_OBJECT_0, WAIT_TIMEOUT or WAIT_FAILED. */
  int WaitForSingleObject(HANDLE handle, int milliseconds);

  boolean K32GetProcessMemoryInfo(
      HANDLE process, JobStructures.ProcessMemoryCounters counters, int size);

  boolean CloseHandle(HANDLE handle);

  // Files (the task's stdout and stderr in its sandbox)
  HANDLE CreateFileW(
      String fileName,
      int desiredAccess,
      int shareMode,
      SECURITY_ATTRIBUTES attributes,
      int creationDisposition,
      int flagsAndAttributes,
      HANDLE template);

  // Consoles (graceful stop)
  boolean GenerateConsoleCtrlEvent(int ctrlEvent, int processGroupId);

  boolean AttachConsole(int processId);

  boolean FreeConsole();

  // Completion ports (job notifications)
  HANDLE CreateIoCompletionPort(
      HANDLE fileHandle, HANDLE existingPort, ULONG_PTR completionKey, int concurrentThreads);

  boolean GetQueuedCompletionStatus(
      HANDLE port,
      IntByReference bytesTransferred,
      ULONG_PTRByReference completionKey,
      PointerByReference overlapped,
      int milliseconds);

  boolean PostQueuedCompletionStatus(
      HANDLE port, int bytesTransferred, ULONG_PTR completionKey, OVERLAPPED overlapped);

  // Discovery
  /** Logical processors in {@code group}, or in all groups for ALL_PROCESSOR_GROUPS; 0 on error. */
  int GetActiveProcessorCount(short group);

  boolean GlobalMemoryStatusEx(MEMORYSTATUSEX status);

  boolean GetDiskFreeSpaceExW(
      String directory,
      LARGE_INTEGER freeBytesAvailableToCaller,
      LARGE_INTEGER totalNumberOfBytes,
      LARGE_INTEGER totalNumberOfFreeBytes);

  // Errors
  int FormatMessageW(
      int flags,
      Pointer source,
      int messageId,
      int languageId,
      char[] buffer,
      int size,
      Pointer arguments);

  void SetLastError(int errorCode);

  /** The Win32 error of the last failed call on this thread (JNA's saved GetLastError). */
  default int lastError() {
    return Native.getLastError();
  }

  /** The system's text for a Win32 error code, e.g. "Access is denied." */
  default String errorMessage(int code) {
    char[] buffer = new char[512];
    int length =
        FormatMessageW(
            JobConstants.FORMAT_MESSAGE_FROM_SYSTEM | JobConstants.FORMAT_MESSAGE_IGNORE_INSERTS,
            null,
            code,
            0,
            buffer,
            buffer.length,
            null);
    return length <= 0 ? "Win32 error " + code : new String(buffer, 0, length).trim();
  }
}

package io.strata.agent.windows.service;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Winsvc;
import com.sun.jna.platform.win32.Winsvc.SERVICE_STATUS;
import com.sun.jna.platform.win32.Winsvc.SERVICE_STATUS_HANDLE;
import com.sun.jna.platform.win32.Winsvc.SERVICE_TABLE_ENTRY;
import java.util.function.IntConsumer;

/** {@link ServiceControlManager} through advapi32. Windows only. */
final class Advapi32Scm implements ServiceControlManager {
  private static final int SERVICE_WIN32_OWN_PROCESS = 0x10;

  // JNA callbacks must stay strongly reachable while native code may call them.
  private Winsvc.SERVICE_MAIN_FUNCTION main;
  private Winsvc.HandlerEx handler;

  @Override
  public boolean startDispatcher(String serviceName, Runnable serviceMain) {
    main = (argc, argv) -> serviceMain.run();
    SERVICE_TABLE_ENTRY entry = new SERVICE_TABLE_ENTRY();
    entry.lpServiceName = serviceName;
    entry.lpServiceProc = main;
    SERVICE_TABLE_ENTRY[] table = (SERVICE_TABLE_ENTRY[]) entry.toArray(2);
    return Advapi32.INSTANCE.StartServiceCtrlDispatcher(table);
  }

  @Override
  public Registration register(String serviceName, IntConsumer controls) {
    handler =
        (control, eventType, eventData, context) -> {
          controls.accept(control);
          return 0; // NO_ERROR: every control is answered, INTERROGATE included
        };
    SERVICE_STATUS_HANDLE handle =
        Advapi32.INSTANCE.RegisterServiceCtrlHandlerEx(serviceName, handler, null);
    if (handle == null) {
      return null;
    }
    return status -> {
      SERVICE_STATUS s = new SERVICE_STATUS();
      s.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
      s.dwCurrentState = status.currentState();
      s.dwControlsAccepted = status.controlsAccepted();
      s.dwWin32ExitCode = status.win32ExitCode();
      s.dwServiceSpecificExitCode = status.serviceSpecificExitCode();
      s.dwCheckPoint = status.checkPoint();
      s.dwWaitHint = status.waitHintMillis();
      return Advapi32.INSTANCE.SetServiceStatus(handle, s);
    };
  }

  @Override
  public int lastError() {
    return Native.getLastError();
  }
}

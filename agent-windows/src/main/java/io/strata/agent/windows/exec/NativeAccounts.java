package io.strata.agent.windows.exec;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import io.strata.agent.windows.plan.TaskAccount;
import java.util.Optional;

/**
 * {@link Accounts} through advapi32: LookupAccountNameW for names, the process token for the
 * agent's own account. Windows only.
 */
public final class NativeAccounts implements Accounts {
  private static final int ERROR_NONE_MAPPED = 1332;
  private static final int ERROR_INVALID_PARAMETER = 87;

  private volatile TaskAccount.AgentAccount current;

  @Override
  public Optional<String> sidOf(String user) {
    try {
      return Optional.of(Advapi32Util.getAccountByName(user).sidString);
    } catch (Win32Exception e) {
      if (e.getErrorCode() == ERROR_NONE_MAPPED || e.getErrorCode() == ERROR_INVALID_PARAMETER) {
        return Optional.empty();
      }
      throw new IllegalStateException(
          "cannot look up account '" + user + "': " + e.getMessage(), e);
    }
  }

  @Override
  public TaskAccount.AgentAccount current() {
    TaskAccount.AgentAccount a = current;
    if (a == null) {
      a = fromProcessToken();
      current = a;
    }
    return a;
  }

  private static TaskAccount.AgentAccount fromProcessToken() {
    HANDLEByReference token = new HANDLEByReference();
    if (!Advapi32.INSTANCE.OpenProcessToken(
        Kernel32.INSTANCE.GetCurrentProcess(), WinNT.TOKEN_QUERY, token)) {
      throw new IllegalStateException(
          "cannot open the agent's process token: Win32 error " + Kernel32.INSTANCE.GetLastError());
    }
    try {
      Advapi32Util.Account account = Advapi32Util.getTokenAccount(token.getValue());
      return new TaskAccount.AgentAccount(account.name, account.domain, account.sidString);
    } finally {
      Kernel32.INSTANCE.CloseHandle(token.getValue());
    }
  }
}

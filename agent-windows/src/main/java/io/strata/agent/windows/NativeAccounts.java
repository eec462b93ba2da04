package io.strata.agent.windows;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;

/** {@link Accounts} through advapi32 (LookupAccountName, GetUserName). Windows only. */
public final class NativeAccounts implements Accounts {
  private static final int ERROR_NONE_MAPPED = 1332;

  @Override
  public boolean exists(String user) {
    try {
      Advapi32Util.getAccountByName(user);
      return true;
    } catch (Win32Exception e) {
      if (e.getErrorCode() == ERROR_NONE_MAPPED) {
        return false;
      }
      throw new IllegalStateException(
          "cannot look up account '" + user + "': " + e.getMessage(), e);
    }
  }

  @Override
  public String current() {
    return Advapi32Util.getUserName();
  }
}

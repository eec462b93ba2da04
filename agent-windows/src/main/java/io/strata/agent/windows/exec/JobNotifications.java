package io.strata.agent.windows.exec;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTRByReference;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.strata.agent.windows.jna.JobConstants;
import io.strata.agent.windows.jna.JobKernel32;

/**
 * The agent's one I/O completion port for job notifications, and the loop that drains it. Every
 * task's job is associated with this port under its own key. Windows does not guarantee delivery of
 * these messages (a full port drops them), so the loop also calls {@code poll} whenever the port
 * has been quiet for {@code pollMillis}: the caller checks its jobs' state directly then.
 */
public final class JobNotifications implements AutoCloseable {
  /** The key of the message {@link #close} posts to stop the loop; never a job's key. */
  static final long STOP_KEY = -1L;

  /** What the loop reports to. */
  public interface Listener {
    /** A notification for one job. */
    void onMessage(JobMessage message);

    /** The port was quiet for a poll interval (or messages keep coming): check jobs directly. */
    void poll();
  }

  private final JobKernel32 kernel;
  private final HANDLE port;
  private final int pollMillis;

  public JobNotifications(JobKernel32 kernel, int pollMillis) {
    this.kernel = kernel;
    this.pollMillis = pollMillis;
    this.port =
        kernel.CreateIoCompletionPort(JobOperationExecutor.INVALID_HANDLE_VALUE, null, null, 1);
    if (port == null) {
      throw Win32Exception.lastError(
          kernel, "creating the job notification port", "CreateIoCompletionPort");
    }
  }

  public HANDLE port() {
    return port;
  }

  /**
   * Drains the port until {@link #close} is called: delivers each message, and polls at least every
   * {@code pollMillis}. Runs on the caller's thread; returns when stopped.
   */
  public void run(Listener listener, java.util.function.LongSupplier nowMillis) {
    long lastPoll = nowMillis.getAsLong();
    while (true) {
      IntByReference message = new IntByReference();
      ULONG_PTRByReference key = new ULONG_PTRByReference();
      PointerByReference overlapped = new PointerByReference();
      boolean got = kernel.GetQueuedCompletionStatus(port, message, key, overlapped, pollMillis);
      if (got) {
        long k = key.getValue() == null ? 0 : key.getValue().longValue();
        if (k == STOP_KEY) {
          return;
        }
        Pointer pid = overlapped.getValue();
        listener.onMessage(
            new JobMessage(
                k, message.getValue(), pid == null ? 0 : (int) Pointer.nativeValue(pid)));
      } else if (kernel.lastError() != JobConstants.WAIT_TIMEOUT) {
        throw Win32Exception.lastError(
            kernel, "reading job notifications", "GetQueuedCompletionStatus");
      }
      long now = nowMillis.getAsLong();
      if (!got || now - lastPoll >= pollMillis) {
        listener.poll();
        lastPoll = now;
      }
    }
  }

  /** Stops {@link #run} (it returns after the message in flight) and closes the port. */
  @Override
  public void close() {
    if (!kernel.PostQueuedCompletionStatus(port, 0, new ULONG_PTR(STOP_KEY), null)) {
      throw Win32Exception.lastError(
          kernel, "stopping job notifications", "PostQueuedCompletionStatus");
    }
  }

  /** Releases the port once {@link #run} has returned. */
  public void release() {
    if (!kernel.CloseHandle(port)) {
      throw Win32Exception.lastError(kernel, "closing the job notification port", "CloseHandle");
    }
  }
}

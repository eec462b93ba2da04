package io.strata.agent.windows.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTR;
import com.sun.jna.platform.win32.BaseTSD.ULONG_PTRByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.strata.agent.windows.jna.JobConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class JobNotificationsTest {
  final MockKernel mk = new MockKernel();

  /** Queues completion packets: (message, key, pid); null = a timeout. */
  void packets(long[]... packets) {
    AtomicInteger next = new AtomicInteger();
    doAnswer(
            a -> {
              int i = next.getAndIncrement();
              long[] p =
                  i < packets.length ? packets[i] : new long[] {0, JobNotifications.STOP_KEY, 0};
              if (p == null) {
                return false;
              }
              a.<IntByReference>getArgument(1).setValue((int) p[0]);
              a.<ULONG_PTRByReference>getArgument(2).setValue(new ULONG_PTR(p[1]));
              a.<PointerByReference>getArgument(3)
                  .setValue(p[2] == 0 ? null : Pointer.createConstant(p[2]));
              return true;
            })
        .when(mk.k)
        .GetQueuedCompletionStatus(any(), any(), any(), any(), anyInt());
  }

  @Test
  void decodesMessagesAndPollsWhenQuiet() {
    doReturn(MockKernel.PORT).when(mk.k).CreateIoCompletionPort(any(), eq(null), eq(null), eq(1));
    doReturn(JobConstants.WAIT_TIMEOUT).when(mk.k).lastError();
    packets(
        new long[] {JobConstants.JOB_OBJECT_MSG_NEW_PROCESS, 3, 111},
        null,
        new long[] {JobConstants.JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, 3, 111});
    JobNotifications n = new JobNotifications(mk.k, 1000);
    List<JobMessage> seen = new ArrayList<>();
    AtomicInteger polls = new AtomicInteger();
    AtomicLong clock = new AtomicLong();

    n.run(
        new JobNotifications.Listener() {
          @Override
          public void onMessage(JobMessage message) {
            seen.add(message);
          }

          @Override
          public void poll() {
            polls.incrementAndGet();
          }
        },
        clock::get);

    assertThat(seen)
        .containsExactly(
            new JobMessage(3, JobConstants.JOB_OBJECT_MSG_NEW_PROCESS, 111),
            new JobMessage(3, JobConstants.JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, 111));
    assertThat(seen.get(1).isJobMemoryLimit()).isTrue();
    assertThat(polls.get()).isEqualTo(1); // the timeout
  }

  @Test
  void aBrokenPortIsAnError() {
    doReturn(MockKernel.PORT).when(mk.k).CreateIoCompletionPort(any(), eq(null), eq(null), eq(1));
    doReturn(JobConstants.ERROR_INVALID_HANDLE).when(mk.k).lastError();
    packets((long[]) null);
    JobNotifications n = new JobNotifications(mk.k, 1000);
    assertThatThrownBy(() -> n.run(new NoListener(), () -> 0))
        .isInstanceOf(Win32Exception.class)
        .hasMessageContaining("GetQueuedCompletionStatus failed");
  }

  @Test
  void noPortNoAgent() {
    doReturn(null).when(mk.k).CreateIoCompletionPort(any(), any(), any(), anyInt());
    doReturn(8).when(mk.k).lastError();
    assertThatThrownBy(() -> new JobNotifications(mk.k, 1000))
        .hasMessageContaining("CreateIoCompletionPort failed");
  }

  static final class NoListener implements JobNotifications.Listener {
    @Override
    public void onMessage(JobMessage message) {}

    @Override
    public void poll() {}
  }
}

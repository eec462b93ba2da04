package io.strata.allocator.server.http;

import io.javalin.http.Context;
import io.strata.allocator.server.master.Mailbox;
import io.strata.api.json.Codec;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a mailbox to an HTTP response as newline-delimited JSON until the client goes away or the
 * connection is superseded. Runs on the request's (virtual) thread. A message whose write fails is
 * put back for the next connection; a heartbeat goes out whenever the stream has been idle for
 * {@code heartbeatMillis}. A client that closes its connection is noticed at once ({@link
 * ClientWatch} ends the mailbox connection); the heartbeat's write is the fallback when the
 * connection cannot be watched or the client vanished without closing.
 */
final class NdjsonPump {
  static final String MEDIA_TYPE = "application/x-ndjson";

  /** At most this many messages are written between two flushes. */
  private static final int MAX_UNFLUSHED = 1024;

  private NdjsonPump() {}

  /**
   * Sends the status line and headers now, so the client sees the stream open, and watches the
   * connection: if the client closes it, connection {@code connection} of {@code mailbox} ends at
   * once. The connection ends with the stream ({@code Connection: close}).
   */
  static OutputStream open(Context ctx, Mailbox<?> mailbox, long connection) throws IOException {
    ctx.status(200);
    ctx.res().setContentType(MEDIA_TYPE);
    ctx.res().setHeader("Cache-Control", "no-store");
    ctx.res().setHeader("Connection", "close");
    OutputStream out = ctx.res().getOutputStream();
    ctx.res().flushBuffer();
    ClientWatch.start(ctx, () -> mailbox.detach(connection));
    return out;
  }

  /**
   * Pumps until the client disconnects (returns normally) or the connection is superseded.
   *
   * @param first written before anything from the mailbox (e.g. SUBSCRIBED), may be null
   */
  static <T> void pump(
      OutputStream out,
      Mailbox<T> mailbox,
      long connection,
      Object first,
      Supplier<T> heartbeat,
      long heartbeatMillis)
      throws InterruptedException {
    List<T> unflushed = new ArrayList<>();
    try {
      if (first != null) {
        write(out, first);
        out.flush();
      }
      boolean superseded = false;
      while (!superseded) {
        T next = mailbox.take(connection, heartbeatMillis);
        try {
          if (next == null) {
            write(out, heartbeat.get());
          } else {
            // Whatever else is waiting goes out with it, flushed once: a burst of updates (a
            // batch of statuses, an ACCEPT's launches) costs one network write, not one each.
            for (T m = next; m != null; ) {
              unflushed.add(m);
              write(out, m);
              m = null;
              if (unflushed.size() < MAX_UNFLUSHED) {
                try {
                  m = mailbox.poll(connection);
                } catch (Mailbox.Superseded e) {
                  // Finish this burst (its messages were taken), then stop.
                  superseded = true;
                }
              }
            }
          }
          out.flush();
          unflushed.clear();
        } catch (IOException e) {
          // Nothing of the burst is known to have arrived: all of it goes back, in order.
          for (int i = unflushed.size() - 1; i >= 0; i--) {
            mailbox.pushBack(unflushed.get(i));
          }
          return;
        }
      }
    } catch (Mailbox.Superseded e) {
      // Another connection took over, or the allocator is closing this stream.
    } catch (IOException e) {
      // The client went away before the first line.
    } finally {
      mailbox.detach(connection);
    }
  }

  private static void write(OutputStream out, Object message) throws IOException {
    byte[] line = Codec.JSON.encodeBytes(message);
    out.write(line);
    out.write('\n');
  }
}

package io.strata.allocator.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once that the client of a long-lived stream went away, instead of at the next write
 * (up to a heartbeat interval later, and a write into a half-closed socket may even succeed).
 *
 * <p>Jetty reads a connection only while a request wants content, so the close of a client that
 * sent its whole request goes unseen while the response streams. The watch asks the connection's
 * end point to report when it becomes readable: a client of a stream sends nothing after its
 * request, so readable means it closed (end of stream) or the connection failed. Anything it does
 * send (a pipelined request, which a stream never serves: it ends with its connection) is read and
 * dropped. When the stream ends first, Jetty closes the connection because a read is pending, which
 * ends the watch; {@code gone} may then still run and must be harmless.
 */
final class ClientWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ClientWatch.class);

  private ClientWatch() {}

  /**
   * Starts watching; {@code gone} runs at most once, on a Jetty thread, when the client closes the
   * connection or it fails. Call after the request body was read. Returns false if the connection
   * cannot be watched (e.g. Jetty reads it already): the stream then notices at its next write.
   */
  static boolean start(Context ctx, Runnable gone) {
    EndPoint endPoint;
    try {
      endPoint =
          ServletContextRequest.getServletContextRequest(ctx.req())
              .getConnectionMetaData()
              .getConnection()
              .getEndPoint();
    } catch (RuntimeException e) {
      LOG.debug("{}: cannot watch the connection", ctx.path(), e);
      return false;
    }
    Watch watch = new Watch(endPoint, gone);
    return watch.arm();
  }

  private static final class Watch implements Callback {
    private final EndPoint endPoint;
    private final Runnable gone;
    private final AtomicBoolean fired = new AtomicBoolean();
    private final ByteBuffer sink = ByteBuffer.allocate(512);

    Watch(EndPoint endPoint, Runnable gone) {
      this.endPoint = endPoint;
      this.gone = gone;
    }

    boolean arm() {
      return endPoint.tryFillInterested(this);
    }

    @Override
    public void succeeded() {
      try {
        while (true) {
          sink.clear().flip();
          int n = endPoint.fill(sink);
          if (n < 0) {
            fire("closed by the client");
            return;
          }
          if (n == 0) {
            if (!arm()) {
              LOG.debug("connection {}: no longer watched", endPoint);
            }
            return;
          }
        }
      } catch (IOException e) {
        fire("failed: " + e.getMessage());
      }
    }

    @Override
    public void failed(Throwable cause) {
      fire("failed: " + cause);
    }

    private void fire(String why) {
      if (fired.compareAndSet(false, true)) {
        LOG.debug("stream connection {} {}", endPoint.getRemoteSocketAddress(), why);
        gone.run();
      }
    }
  }
}

package io.strata.allocator.server.http;

import io.javalin.http.Context;
import io.strata.allocator.server.master.ApiError;
import io.strata.allocator.server.master.Master;
import io.strata.api.client.Paths;
import io.strata.api.json.Violation;
import io.strata.api.scheduler.SchedulerCall;
import io.strata.api.scheduler.SchedulerEvent;
import java.io.OutputStream;
import java.util.List;

/**
 * The scheduler API: {@code POST /v1/scheduler}. SUBSCRIBE answers with the event stream; every
 * other call must carry the stream's id and is answered 202 once its effects are durable.
 */
public final class SchedulerApi {
  private final Master master;
  private final long heartbeatMillis;

  public SchedulerApi(Master master, long heartbeatMillis) {
    this.master = master;
    this.heartbeatMillis = heartbeatMillis;
  }

  public List<Route> routes() {
    // What a call may do depends on the call: FrameworkOps and AcceptPlanner ask the authorizer
    // under the master's lock, where the framework's owner cannot change meanwhile, and name the
    // offending field of the body.
    return List.of(
        Route.post(
            Paths.SCHEDULER,
            Route.Guard.of(
                "register_frameworks on each role of SUBSCRIBE; act_as_framework on the call's"
                    + " framework; reserve_resources/unreserve_resources on each ACCEPT"
                    + " operation's role (checked by the call)",
                ctx -> List.of()),
            this::call));
  }

  private void call(Context ctx) throws Exception {
    SchedulerCall call = HttpApi.body(ctx, SchedulerCall.class);
    if (call instanceof SchedulerCall.Subscribe s) {
      subscribe(ctx, s);
      return;
    }
    String streamId = ctx.header(Paths.STREAM_ID_HEADER);
    if (streamId == null || streamId.isBlank()) {
      throw ApiError.invalid(
          400,
          "Missing stream id",
          List.of(
              new Violation(
                  Paths.STREAM_ID_HEADER,
                  "header is required: the id of the subscription's stream (from SUBSCRIBED)")));
    }
    master.frameworks().call(HttpApi.principal(ctx), streamId, call);
    ctx.status(202);
  }

  private void subscribe(Context ctx, SchedulerCall.Subscribe s) throws Exception {
    Master.Subscription sub = master.frameworks().subscribe(HttpApi.principal(ctx), s);
    ctx.header(Paths.STREAM_ID_HEADER, sub.streamId());
    try {
      // Once the stream ends, however it ends (even before its first byte), the framework is
      // disconnected: its offers are taken back and its failover timeout starts.
      OutputStream out =
          NdjsonPump.open(ctx, sub.connection().mailbox(), sub.connection().number());
      NdjsonPump.pump(
          out,
          sub.connection().mailbox(),
          sub.connection().number(),
          null,
          SchedulerEvent.Heartbeat::new,
          heartbeatMillis);
    } finally {
      master.frameworks().streamClosed(sub.frameworkId(), sub.streamId());
    }
  }
}

package io.strata.provisioner.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.api.json.Codec;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Writes events as newline-delimited JSON like {@code terraform apply -json}: {@code @level},
 * {@code @message}, {@code @timestamp}, {@code type}, and a {@code hook} with the resource, the
 * action and {@code elapsed_seconds}.
 */
public final class JsonEventSink implements EventSink {
  private final PrintStream out;
  private final Clock clock;

  public JsonEventSink(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void emit(ApplyEvent e) {
    ObjectNode line = Codec.JSON.mapper().createObjectNode();
    line.put("@level", e.type().equals(ApplyEvent.ERRORED) ? "error" : "info");
    line.put("@message", message(e));
    line.put("@module", "strata.provision");
    line.put("@timestamp", clock.instant().toString());
    line.put("type", e.type());
    if (e.resource() != null) {
      ObjectNode hook = line.putObject("hook");
      hook.putObject("resource").put("addr", e.resource());
      hook.put("action", e.action());
      if (e.elapsed() != null) {
        hook.put("elapsed_seconds", e.elapsed().toMillis() / 1000.0);
      }
      if (e.type().equals(ApplyEvent.ERRORED) && e.message() != null) {
        hook.put("error", e.message());
      }
    }
    String text = Codec.JSON.encode(line);
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  static String message(ApplyEvent e) {
    if (e.resource() == null) {
      return e.message();
    }
    String what = e.resource() + ": ";
    return switch (e.type()) {
      case ApplyEvent.START -> what + "Starting " + e.action() + "...";
      case ApplyEvent.PROGRESS ->
          what + "Still " + e.action() + "ing... [" + e.elapsed().toSeconds() + "s elapsed]";
      case ApplyEvent.COMPLETE ->
          what + e.action() + " complete after " + e.elapsed().toSeconds() + "s";
      case ApplyEvent.ERRORED -> what + e.action() + " failed: " + e.message();
      case ApplyEvent.READY -> what + "joined the allocator";
      default -> what + (e.message() == null ? e.action() : e.message());
    };
  }
}

package io.strata.provisioner.apply;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar for people: one tick per finished step (created, deleted or failed), with failures
 * printed above the bar as they happen. {@link #close()} ends the bar.
 */
public final class ProgressSink implements EventSink, AutoCloseable {
  private final PrintStream err;
  private ProgressBar bar;
  private final String task;

  public ProgressSink(String task, PrintStream err) {
    this.task = task;
    this.err = err;
  }

  @Override
  public synchronized void emit(ApplyEvent e) {
    switch (e.type()) {
      case ApplyEvent.SUMMARY -> {
        if (bar == null && e.elapsed() == null) {
          long total = parseTotal(e.message());
          bar =
              new ProgressBarBuilder()
                  .setTaskName(task)
                  .setInitialMax(Math.max(total, 1))
                  .setStyle(ProgressBarStyle.ASCII)
                  .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(err))
                  .setUpdateIntervalMillis(250)
                  .continuousUpdate()
                  .build();
        }
      }
      case ApplyEvent.COMPLETE -> step(e.resource() + " " + e.action() + "d");
      case ApplyEvent.ERRORED -> {
        err.println(io.strata.api.client.ErrorLine.of(e.resource() + ": " + e.message()));
        step(e.resource() + " failed");
      }
      default -> {}
    }
  }

  private void step(String what) {
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(what);
    }
  }

  /** The summary message starts with the number of steps: {@code "12 steps"}. */
  private static long parseTotal(String message) {
    try {
      return Long.parseLong(message.substring(0, message.indexOf(' ')));
    } catch (RuntimeException ex) {
      return 1;
    }
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}

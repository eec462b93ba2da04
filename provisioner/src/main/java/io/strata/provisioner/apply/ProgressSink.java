package io.strata.provisioner.apply;

import io.strata.api.client.ErrorLine;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress for people: on a terminal, a bar with one tick per finished step (created, deleted or
 * failed) and failures printed above it as they happen; into a pipe or a file, where a bar's {@code
 * \r} redraws would become garbage, one plain line per finished step instead. {@link #close()} ends
 * the bar.
 */
public final class ProgressSink implements EventSink, AutoCloseable {
  private final PrintStream err;
  private final String task;
  private final boolean terminal;
  private ProgressBar bar;
  private long total;
  private long done;

  /**
   * @param terminal whether {@code err} is a terminal: a bar there, plain lines otherwise
   */
  public ProgressSink(String task, PrintStream err, boolean terminal) {
    this.task = task;
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void emit(ApplyEvent e) {
    switch (e.type()) {
      case ApplyEvent.SUMMARY -> {
        if (total == 0 && e.elapsed() == null) {
          total = Math.max(parseTotal(e.message()), 1);
          if (terminal) {
            bar =
                new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .setUpdateIntervalMillis(250)
                    .continuousUpdate()
                    .build();
          }
        }
      }
      case ApplyEvent.COMPLETE ->
          step(
              e.resource() + " " + e.action() + "d" + took(e),
              e.resource() + " " + e.action() + "d");
      case ApplyEvent.ERRORED -> {
        err.println(ErrorLine.of(e.resource() + ": " + e.message()));
        step(null, e.resource() + " failed");
      }
      case ApplyEvent.READY -> {
        if (!terminal) {
          err.println(task + ": " + e.resource() + " joined");
        }
      }
      default -> {}
    }
  }

  private static String took(ApplyEvent e) {
    return e.elapsed() == null ? "" : " (" + e.elapsed().toMillis() / 100 / 10.0 + " s)";
  }

  /**
   * @param line what to print without a terminal (null: already told)
   */
  private void step(String line, String what) {
    done++;
    if (bar != null) {
      bar.step();
      bar.setExtraMessage(what);
    } else if (!terminal && line != null) {
      err.println(task + ": " + line + " [" + done + "/" + Math.max(total, done) + "]");
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

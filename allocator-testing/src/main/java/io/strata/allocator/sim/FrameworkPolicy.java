package io.strata.allocator.sim;

import io.strata.api.Resources;
import java.time.Duration;

/**
 * How a simulated framework answers offers: launch up to {@code maxTasksPerOffer} tasks of {@code
 * task} resources (at most {@code maxTasks} in all), then give the rest back. The rest of an offer
 * it used is recovered with {@code refuseAfterAccept}; an offer it could not use at all is declined
 * with {@code refuseOnDecline} (null: no filter). With {@code suppressWhenDone} it suppresses its
 * roles once it launched {@code maxTasks} (what well-behaved frameworks do; Mesos' benchmarks do
 * not).
 */
public record FrameworkPolicy(
    Resources task,
    int maxTasksPerOffer,
    int maxTasks,
    Duration refuseAfterAccept,
    Duration refuseOnDecline,
    boolean suppressWhenDone) {

  public FrameworkPolicy(
      Resources task,
      int maxTasksPerOffer,
      int maxTasks,
      Duration refuseAfterAccept,
      Duration refuseOnDecline) {
    this(task, maxTasksPerOffer, maxTasks, refuseAfterAccept, refuseOnDecline, false);
  }

  /** Takes as many tasks as fit, forever; declines with Mesos' default 5 s filter. */
  public static FrameworkPolicy greedy(Resources task) {
    return new FrameworkPolicy(
        task, Integer.MAX_VALUE, Integer.MAX_VALUE, null, Duration.ofSeconds(5));
  }

  /** Declines everything with the given filter. */
  public static FrameworkPolicy declineAll(Duration refuse) {
    return new FrameworkPolicy(Resources.EMPTY, 0, 0, null, refuse);
  }

  public FrameworkPolicy withRefuse(Duration afterAccept, Duration onDecline) {
    return new FrameworkPolicy(
        task, maxTasksPerOffer, maxTasks, afterAccept, onDecline, suppressWhenDone);
  }

  public FrameworkPolicy withTask(Resources newTask) {
    return new FrameworkPolicy(
        newTask, maxTasksPerOffer, maxTasks, refuseAfterAccept, refuseOnDecline);
  }

  public FrameworkPolicy withLimits(int perOffer, int total) {
    return new FrameworkPolicy(
        task, perOffer, total, refuseAfterAccept, refuseOnDecline, suppressWhenDone);
  }

  public FrameworkPolicy suppressingWhenDone() {
    return new FrameworkPolicy(
        task, maxTasksPerOffer, maxTasks, refuseAfterAccept, refuseOnDecline, true);
  }
}

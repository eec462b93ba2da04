package io.strata.agent.linux.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.strata.agent.containerizer.ContainerizerException;
import io.strata.agent.containerizer.ResourceUsage;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** One sample of the engine's statistics for a container, as a {@link ResourceUsage}. */
final class DockerStats {
  private DockerStats() {}

  static Statistics once(DockerClient docker, String dockerId) {
    AtomicReference<Statistics> first = new AtomicReference<>();
    try (var callback =
        docker
            .statsCmd(dockerId)
            .withNoStream(true)
            .exec(
                new ResultCallback.Adapter<Statistics>() {
                  @Override
                  public void onNext(Statistics s) {
                    first.compareAndSet(null, s);
                  }
                })) {
      callback.awaitCompletion(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new ContainerizerException(
          "cannot read the statistics of " + dockerId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted reading the statistics of " + dockerId, e);
    }
    return first.get();
  }

  static ResourceUsage usage(Statistics s, Instant now) {
    var cpu = s.getCpuStats();
    long cpuNanos =
        cpu != null && cpu.getCpuUsage() != null && cpu.getCpuUsage().getTotalUsage() != null
            ? cpu.getCpuUsage().getTotalUsage()
            : 0;
    var throttling = cpu == null ? null : cpu.getThrottlingData();
    var mem = s.getMemoryStats();
    long memory = mem != null && mem.getUsage() != null ? mem.getUsage() : 0;
    return new ResourceUsage(
        now,
        cpuNanos,
        memory,
        mem == null ? null : mem.getMaxUsage(),
        mem == null ? null : mem.getLimit(),
        throttling == null ? null : throttling.getPeriods(),
        throttling == null ? null : throttling.getThrottledPeriods(),
        throttling == null ? null : throttling.getThrottledTime(),
        s.getPidsStats() == null ? null : s.getPidsStats().getCurrent());
  }
}

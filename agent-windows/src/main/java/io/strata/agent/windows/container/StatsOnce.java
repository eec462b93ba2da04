package io.strata.agent.windows.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Statistics;
import io.strata.agent.containerizer.ContainerizerException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** One statistics sample of a container (the stats API streams; we take the first). */
final class StatsOnce {
  private StatsOnce() {}

  static Statistics read(DockerClient docker, String containerId) {
    AtomicReference<Statistics> first = new AtomicReference<>();
    try (ResultCallback.Adapter<Statistics> callback =
        docker
            .statsCmd(containerId)
            .withNoStream(true)
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Statistics s) {
                    first.compareAndSet(null, s);
                  }
                })) {
      callback.awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted reading the stats of " + containerId, e);
    } catch (IOException e) {
      throw new ContainerizerException("cannot read the stats of " + containerId, e);
    }
    return first.get();
  }
}

package io.strata.agent.containerizer;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The containers a {@link Containerizer} holds, by id (thread-safe): what every implementation
 * keeps, with the SPI's answer to an id it does not hold ({@link UnknownContainerException}).
 *
 * @param <E> the implementation's record of one container
 */
public final class ContainerTable<E> {
  private final Map<ContainerId, E> held = new ConcurrentHashMap<>();

  /** The container {@code id}; throws {@link UnknownContainerException} if it is not held. */
  public E get(ContainerId id) {
    E e = held.get(id);
    if (e == null) {
      throw new UnknownContainerException(id);
    }
    return e;
  }

  public boolean holds(ContainerId id) {
    return held.containsKey(id);
  }

  public void put(ContainerId id, E e) {
    held.put(id, e);
  }

  /** Adds {@code e} unless {@code id} is held already; returns whether it was added. */
  public boolean add(ContainerId id, E e) {
    return held.putIfAbsent(id, e) == null;
  }

  public void remove(ContainerId id) {
    held.remove(id);
  }

  public Collection<E> all() {
    return held.values();
  }

  /**
   * Waits up to {@code patience} for {@code end}; true once it is done (a failed end counts), false
   * on timeout. An interrupt is kept and reported as a {@link ContainerizerException} about killing
   * {@code id}.
   */
  public static boolean awaitEnd(
      CompletableFuture<Termination> end, Duration patience, ContainerId id) {
    try {
      end.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerizerException("interrupted while killing " + id, e);
    }
  }
}

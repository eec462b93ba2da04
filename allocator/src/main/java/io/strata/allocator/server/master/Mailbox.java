package io.strata.allocator.server.master;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Messages waiting for one stream reader. At most one connection reads a mailbox at a time: {@link
 * #attach} hands out a new connection number and wakes the previous reader, whose {@link #take}
 * then fails with {@link Superseded}. Messages outlive connections (an agent's mailbox keeps what
 * arrives while it is disconnected). Bounded: {@link #put} refuses beyond the capacity.
 */
public final class Mailbox<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final int capacity;
  private long connection;
  private boolean closed;
  private boolean finishing;

  /** The reader's connection was replaced or the mailbox closed. */
  public static final class Superseded extends Exception {
    private static final long serialVersionUID = 1L;

    public Superseded() {
      super("stream superseded", null, false, false);
    }
  }

  Mailbox(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a message; false if the mailbox is full or closed. */
  boolean put(T item) {
    lock.lock();
    try {
      if (closed || finishing || items.size() >= capacity) {
        return false;
      }
      items.addLast(item);
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  boolean putAll(List<T> batch) {
    lock.lock();
    try {
      if (closed || finishing || items.size() + batch.size() > capacity) {
        return false;
      }
      items.addAll(batch);
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A message that could not be written goes back to the front, for the next connection. */
  public void pushBack(T item) {
    lock.lock();
    try {
      if (!closed) {
        items.addFirst(item);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Starts a new connection; the previous reader, if any, is superseded. */
  long attach() {
    lock.lock();
    try {
      connection++;
      changed.signalAll();
      return connection;
    } finally {
      lock.unlock();
    }
  }

  /** Ends {@code conn} if it is still the current connection. */
  public void detach(long conn) {
    lock.lock();
    try {
      if (connection == conn) {
        connection++;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  boolean isAttached(long conn) {
    lock.lock();
    try {
      return !closed && connection == conn;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next message for {@code conn}, or null after {@code timeoutMillis} without one.
   *
   * @throws Superseded if another connection attached or the mailbox closed
   */
  public T take(long conn, long timeoutMillis) throws Superseded, InterruptedException {
    lock.lock();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (true) {
        if (closed || connection != conn) {
          throw new Superseded();
        }
        T item = items.pollFirst();
        if (item != null) {
          return item;
        }
        if (finishing) {
          closed = true;
          throw new Superseded();
        }
        if (nanos <= 0) {
          return null;
        }
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next message for {@code conn} if one is waiting, else null at once.
   *
   * @throws Superseded if another connection attached or the mailbox closed
   */
  public T poll(long conn) throws Superseded {
    lock.lock();
    try {
      if (closed || connection != conn) {
        throw new Superseded();
      }
      return items.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      items.clear();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** Takes no more messages; the reader gets what is queued, then its stream ends. */
  void finish() {
    lock.lock();
    try {
      finishing = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Drops every message and ends the current connection for good. */
  void close() {
    lock.lock();
    try {
      closed = true;
      items.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}

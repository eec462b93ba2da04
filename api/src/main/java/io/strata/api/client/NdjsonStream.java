package io.strata.api.client;

import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A newline-delimited JSON stream being read on its own thread. Closing it closes the connection;
 * the listener's {@code closed} is called exactly once, with the cause if the stream broke.
 */
public final class NdjsonStream<T> implements AutoCloseable {

  /** Receives what a stream carries. Called on the stream's thread, one event at a time. */
  public interface Listener<T> {
    void event(T event);

    /** The stream ended: {@code cause} is empty when closed by us or by the server cleanly. */
    default void closed(Optional<Throwable> cause) {}
  }

  private final HttpResponse<InputStream> response;
  private final Thread reader;
  private volatile boolean closing;

  private NdjsonStream(HttpResponse<InputStream> response, Thread reader) {
    this.response = response;
    this.reader = reader;
  }

  static <T> NdjsonStream<T> start(
      HttpResponse<InputStream> response, Class<T> type, Listener<T> listener) {
    NdjsonStream<T>[] self = new NdjsonStream[1];
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("ndjson " + response.uri().getPath())
            .unstarted(() -> self[0].run(type, listener));
    self[0] = new NdjsonStream<>(response, thread);
    thread.start();
    return self[0];
  }

  /** A response header of the stream, e.g. {@code Strata-Stream-Id}. */
  public Optional<String> header(String name) {
    return response.headers().firstValue(name);
  }

  private void run(Class<T> type, Listener<T> listener) {
    Throwable failure = null;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        T event;
        try {
          event = Codec.JSON.decode(line, type);
        } catch (ValidationException e) {
          failure = new IOException("undecodable stream line: " + e.getMessage(), e);
          break;
        }
        listener.event(event);
      }
    } catch (IOException | RuntimeException e) {
      if (!closing) {
        failure = e;
      }
    }
    listener.closed(closing ? Optional.empty() : Optional.ofNullable(failure));
  }

  public boolean isOpen() {
    return reader.isAlive();
  }

  @Override
  public void close() {
    closing = true;
    try {
      response.body().close();
    } catch (IOException e) {
      // The connection is being torn down anyway; nothing more to do.
    }
    reader.interrupt();
  }
}

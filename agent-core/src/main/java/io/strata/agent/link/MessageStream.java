package io.strata.agent.link;

import io.strata.api.agent.AgentMessage;
import io.strata.api.client.NdjsonStream;
import io.strata.api.json.Codec;
import io.strata.api.json.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The allocator's NDJSON stream of {@link AgentMessage}s to this agent, read on its own thread.
 * Closing it closes the connection; the listener's {@code closed} is called exactly once, with the
 * cause if the stream broke (the same contract as the api module's {@link NdjsonStream}).
 *
 * <p>The reader is a virtual thread because that is how a blocked read is ended: interrupting a
 * virtual thread blocked on a socket closes the socket ({@link java.net.Socket#getInputStream}).
 * {@link HttpURLConnection#disconnect} cannot do it: it waits for the lock the blocked read holds.
 */
public final class MessageStream implements AutoCloseable {
  private final HttpURLConnection connection;
  private final Thread reader;
  private volatile boolean closing;

  private MessageStream(HttpURLConnection connection, Thread reader) {
    this.connection = connection;
    this.reader = reader;
  }

  /** Starts reading an answered stream request (status 2xx). */
  static MessageStream start(
      HttpURLConnection connection, String path, NdjsonStream.Listener<AgentMessage> listener) {
    MessageStream[] self = new MessageStream[1];
    Thread thread =
        Thread.ofVirtual().name("ndjson " + path).unstarted(() -> self[0].run(listener));
    self[0] = new MessageStream(connection, thread);
    thread.start();
    return self[0];
  }

  private void run(NdjsonStream.Listener<AgentMessage> listener) {
    Throwable failure = null;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        AgentMessage message;
        try {
          message = Codec.JSON.decode(line, AgentMessage.class);
        } catch (ValidationException e) {
          failure = new IOException("undecodable stream line: " + e.getMessage(), e);
          break;
        }
        listener.event(message);
      }
    } catch (IOException | RuntimeException e) {
      if (!closing) {
        failure = e;
      }
    } finally {
      // A stream is never reused: its connection goes, whatever state the answer is in.
      connection.disconnect();
    }
    listener.closed(closing ? Optional.empty() : Optional.ofNullable(failure));
  }

  public boolean isOpen() {
    return reader.isAlive();
  }

  @Override
  public void close() {
    closing = true;
    // Closes the socket under the reader, whose blocked read then ends; it disconnects.
    reader.interrupt();
  }
}

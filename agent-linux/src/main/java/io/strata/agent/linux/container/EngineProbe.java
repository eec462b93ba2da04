package io.strata.agent.linux.container;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.api.json.Codec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two questions the agent asks the Docker engine before it has any container to run — does it
 * answer ({@code GET /_ping}), and which containers carry this agent's label ({@code GET
 * /containers/json}) — asked over a plain socket ({@code unix://} or {@code tcp://}), one HTTP/1.0
 * request per connection. docker-java (its HTTP client, its model, a few thousand classes: ~12 MB
 * of an agent's resident memory) is loaded only when a container has to be run or recovered.
 */
public final class EngineProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  private final SocketAddress address;

  private EngineProbe(SocketAddress address) {
    this.address = address;
  }

  /** For {@code unix:///path} or {@code tcp://host:port} (what {@code docker.host} may hold). */
  public static EngineProbe of(String host) {
    URI uri = URI.create(host);
    return switch (uri.getScheme()) {
      case "unix" -> new EngineProbe(UnixDomainSocketAddress.of(uri.getPath()));
      case "tcp" -> new EngineProbe(new InetSocketAddress(uri.getHost(), uri.getPort()));
      default -> throw new IllegalArgumentException("not a unix:// or tcp:// address: " + host);
    };
  }

  /** Empty if the engine answers its ping, else why not. */
  public Optional<String> unreachable() {
    try {
      Answer a = get("/_ping");
      return a.status() == 200
          ? Optional.empty()
          : Optional.of("ping answered " + a.status() + ": " + a.text());
    } catch (IOException e) {
      return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** A container as the engine lists it: its id and labels. */
  public record Listed(String id, Map<String, String> labels) {}

  /** Every container, running or not, with label {@code key=value}. */
  public List<Listed> containersLabelled(String key, String value) throws IOException {
    String filters = "{\"label\":[\"" + key + "=" + value + "\"]}";
    Answer a =
        get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
    if (a.status() != 200) {
      throw new IOException("listing containers answered " + a.status() + ": " + a.text());
    }
    List<Listed> out = new ArrayList<>();
    for (JsonNode c : Codec.JSON.mapper().readTree(a.body())) {
      Map<String, String> labels = new java.util.TreeMap<>();
      c.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.add(new Listed(c.path("Id").asText(), labels));
    }
    return out;
  }

  private record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8).strip();
    }
  }

  /**
   * One GET, HTTP/1.0: the engine answers without chunking and closes the connection at the end.
   */
  private Answer get(String path) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (SocketChannel channel =
            address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      SelectionKey key = channel.register(selector, 0);
      if (!channel.connect(address)) {
        await(key, SelectionKey.OP_CONNECT, deadline);
        channel.finishConnect();
      }
      ByteBuffer request =
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      while (request.hasRemaining()) {
        if (channel.write(request) == 0) {
          await(key, SelectionKey.OP_WRITE, deadline);
        }
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      int n;
      while ((n = channel.read(buf)) >= 0) {
        if (n == 0) {
          await(key, SelectionKey.OP_READ, deadline);
          continue;
        }
        answer.write(buf.array(), 0, buf.position());
        buf.clear();
        if (answer.size() > MAX_ANSWER_BYTES) {
          throw new IOException("the engine's answer to " + path + " is too large");
        }
      }
      return parse(answer.toByteArray(), path);
    }
  }

  /** Waits until the channel is ready for {@code op}, or throws once the deadline has passed. */
  private static void await(SelectionKey key, int op, long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new IOException("the engine did not answer within " + TIMEOUT.toSeconds() + " s");
    }
    key.interestOps(op);
    key.selector().select(left);
  }

  private static Answer parse(byte[] raw, String path) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String[] statusLine = text.substring(0, Math.max(0, text.indexOf("\r\n"))).split(" ", 3);
    if (end < 0 || statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
      throw new IOException("the engine's answer to " + path + " is not HTTP");
    }
    int status;
    try {
      status = Integer.parseInt(statusLine[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the engine's answer to " + path + " has no status", e);
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    return new Answer(status, body);
  }
}

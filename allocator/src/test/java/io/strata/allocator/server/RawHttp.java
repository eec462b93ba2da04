package io.strata.allocator.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a raw socket, for requests no client library would send: truncated bodies, broken
 * chunks, bytes that are not HTTP at all. Reads one answer until the server closes or {@code
 * timeoutMillis} passes.
 */
final class RawHttp {
  private RawHttp() {}

  /** One answer; {@code status} is 0 when the server closed without answering. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Asserts the answer is problem+json with its own status and no stack trace; returns it. */
    Problem problem() {
      assertThat(contentType()).as("content type of %s", this).startsWith(Problem.MEDIA_TYPE);
      assertThat(text())
          .doesNotContain("Exception")
          .doesNotContain("\tat ")
          .doesNotContain(".java:");
      Problem p = Codec.JSON.decode(body, Problem.class);
      assertThat(p.status()).isEqualTo(status);
      assertThat(p.title()).isNotBlank();
      assertThat(p.detail()).isNotBlank();
      return p;
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + text();
    }
  }

  /** Sends {@code request} as is, then (if {@code halfClose}) shuts the socket's output. */
  static Answer exchange(int port, byte[] request, boolean halfClose, int timeoutMillis)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMillis);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      if (halfClose) {
        s.shutdownOutput();
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          all.write(buf, 0, n);
          if (complete(all.toByteArray())) {
            break;
          }
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // what arrived is the answer (or nothing)
      }
      return parse(all.toByteArray());
    }
  }

  static Answer exchange(int port, String request) throws IOException {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), false, 5000);
  }

  private static boolean complete(byte[] raw) {
    int end = headerEnd(raw);
    if (end < 0) {
      return false;
    }
    Answer a = parse(raw);
    String length = a.headers().get("content-length");
    if (length != null) {
      return raw.length - end >= Integer.parseInt(length.trim());
    }
    if ("chunked".equalsIgnoreCase(a.headers().getOrDefault("transfer-encoding", ""))) {
      return new String(raw, end, raw.length - end, StandardCharsets.ISO_8859_1)
              .contains("\r\n0\r\n\r\n")
          || new String(raw, end, raw.length - end, StandardCharsets.ISO_8859_1)
              .startsWith("0\r\n\r\n");
    }
    return false;
  }

  private static int headerEnd(byte[] raw) {
    for (int i = 0; i + 3 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  static Answer parse(byte[] raw) {
    int end = headerEnd(raw);
    if (end < 0) {
      return new Answer(0, Map.of(), raw);
    }
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] rest = java.util.Arrays.copyOfRange(raw, end, raw.length);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      rest = dechunk(rest);
    }
    return new Answer(status, headers, rest);
  }

  private static byte[] dechunk(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length) {
      int lineEnd = i;
      while (lineEnd + 1 < raw.length && !(raw[lineEnd] == '\r' && raw[lineEnd + 1] == '\n')) {
        lineEnd++;
      }
      String size = new String(raw, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0];
      int n = size.isBlank() ? 0 : Integer.parseInt(size.trim(), 16);
      if (n == 0) {
        break;
      }
      out.write(raw, lineEnd + 2, Math.min(n, raw.length - lineEnd - 2));
      i = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }
}

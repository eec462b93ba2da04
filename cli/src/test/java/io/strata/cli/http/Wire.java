package io.strata.cli.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a raw socket to 127.0.0.1, so that a test can send what no client
 * library would (bad percent-encoding, raw bytes in the path). Reads the answer's head and, for a
 * Content-Length, that many bytes; a stream (chunked, open-ended) is read for at most {@code
 * timeoutMillis}.
 */
record Wire(int status, Map<String, String> headers, byte[] body) {

  String contentType() {
    return headers.getOrDefault("content-type", "");
  }

  static Wire exchange(int port, byte[] request, int timeoutMillis) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(timeoutMillis);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16384];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          all.write(buf, 0, n);
          if (complete(all.toByteArray())) {
            break;
          }
        }
      } catch (SocketTimeoutException | SocketException e) {
        // a stream that stays open, or a server that closed: what arrived is the answer
      }
      return parse(all.toByteArray());
    }
  }

  private static boolean complete(byte[] raw) {
    int end = headerEnd(raw);
    if (end < 0) {
      return false;
    }
    Wire w = parse(raw);
    String length = w.headers().get("content-length");
    if (length != null) {
      return raw.length - end >= Integer.parseInt(length.trim());
    }
    String rest = new String(raw, end, raw.length - end, StandardCharsets.ISO_8859_1);
    // A 2xx stream (the agent stream, a scheduler subscription) never ends: its head is enough.
    return w.status() < 300 || rest.startsWith("0\r\n\r\n") || rest.contains("\r\n0\r\n\r\n");
  }

  private static int headerEnd(byte[] raw) {
    for (int i = 0; i + 3 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private static Wire parse(byte[] raw) {
    int end = headerEnd(raw);
    if (end < 0) {
      return new Wire(0, Map.of(), raw);
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
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
    byte[] body = Arrays.copyOfRange(raw, end, raw.length);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = dechunk(body);
    }
    return new Wire(status, headers, body);
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
      if (n == 0 || lineEnd + 2 > raw.length) {
        break;
      }
      out.write(raw, lineEnd + 2, Math.min(n, raw.length - lineEnd - 2));
      i = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }
}

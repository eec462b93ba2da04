package io.strata.testkit.fake;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Query strings as the fake cloud servers read them. */
public final class Queries {
  private Queries() {}

  /** The decoded parameters of a raw query string (null for none); the last of a repeated wins. */
  public static Map<String, String> parse(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String part : raw.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          out.put(
              URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }
}

package io.strata.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.strata.api.client.Paths;
import io.strata.api.json.Codec;
import io.strata.api.json.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzes every operation of the OpenAPI document through the real server on 127.0.0.1 (the
 * allocator with the built-in frameworks' API on its port): bodies built from the document's
 * schemas, then broken (wrong types, missing and unknown fields, nulls, huge numbers, deep nesting,
 * odd unicode, not JSON at all); path parameters from plain to encoded garbage; odd query strings
 * and headers; no, wrong and valid credentials of each kind. Seeded and bounded.
 *
 * <p>Every answer: never 5xx; every error is problem+json with its own status; an answer to a
 * well-formed path is one of the statuses the document lists for the operation; a 400 for a body
 * whose field was broken names the field path of each violation.
 */
class HttpFuzzTest {
  static final String SEED = "20261207";

  /** About 30 s on two busy cores, the server's start included. */
  static final int TRIES = 1000;

  static final String ADMIN = PortFixture.ADMIN;
  static final String WEB = PortFixture.WEB;
  static final String JOIN = PortFixture.JOIN;

  static PortFixture port;
  static String agentId;
  static List<Op> ops;
  static RequestBodies bodies;
  static final Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();
  static final AtomicInteger successes = new AtomicInteger();
  static volatile boolean failed;

  record Op(String method, String path, JsonNode operation) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** A path parameter's value as sent, and whether it is a well-formed segment. */
  record PathValue(String wire, boolean wellFormed) {}

  enum Mutation {
    VALID,
    NULL_FIELD,
    WRONG_TYPE,
    HUGE_NUMBER,
    NEGATIVE_NUMBER,
    ODD_STRING,
    REMOVE_FIELD,
    UNKNOWN_FIELD,
    DEEP_NESTING,
    ROOT_NULL,
    ROOT_ARRAY,
    TRUNCATED,
    NOT_JSON,
    EMPTY;

    boolean aimsAtAField() {
      return this == NULL_FIELD
          || this == WRONG_TYPE
          || this == REMOVE_FIELD
          || this == UNKNOWN_FIELD;
    }
  }

  record Request(
      Op op,
      String token,
      List<PathValue> params,
      String query,
      String header,
      Mutation mutation,
      int variant,
      String text) {

    boolean wellFormedPath() {
      return params.stream().allMatch(PathValue::wellFormed);
    }

    /** The path and the query are valid URI syntax: the request reaches a handler. */
    boolean wellFormedUri() {
      return wellFormedPath()
          && !query.contains("%zz")
          && !query.contains("=%")
          && !query.contains("%00");
    }
  }

  @BeforeContainer
  static void start() throws Exception {
    port = PortFixture.start();
    // A registered agent, so that agent and operator routes reach past "no such agent".
    agentId = port.addAgent();
    JsonNode doc = port.document();
    bodies = new RequestBodies(doc);
    ops = new ArrayList<>();
    JsonNode paths = doc.get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        String method = m.next();
        if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
          ops.add(new Op(method.toUpperCase(Locale.ROOT), path, paths.get(path).get(method)));
        }
      }
    }
    // The frameworks' API answers 503 until they subscribe: fuzz what a user meets afterwards.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> port.workloads().status().toString().split("subscribed=true").length == 3);
  }

  @AfterContainer
  static void stop() {
    port.close();
  }

  @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
  void everyAnswerIsDocumentedAndEveryErrorIsAProblem(@ForAll("requests") Request r)
      throws Exception {
    try {
      check(r);
    } catch (Exception | AssertionError e) {
      failed = true;
      throw e;
    }
  }

  private void check(Request r) throws Exception {
    byte[] wire = encode(r);
    Wire answer = Wire.exchange(port.port(), wire, 3000);
    String what = r.op() + " " + new String(wire, StandardCharsets.ISO_8859_1).lines().findFirst();
    assertThat(answer.status()).as("answer to %s", what).isBetween(100, 499);
    seen.computeIfAbsent(r.op().toString(), k -> new TreeSet<>()).add(answer.status());
    Statistics.label("status").collect(answer.status());
    if (answer.status() < 300) {
      successes.incrementAndGet();
    }
    if (r.wellFormedPath()) {
      assertThat(r.op().operation().path("responses").has(Integer.toString(answer.status())))
          .as("%s answered %d, which the document does not list", what, answer.status())
          .isTrue();
    }
    if (answer.status() >= 400) {
      assertThat(answer.contentType()).as("%s", what).startsWith(Problem.MEDIA_TYPE);
      String text = new String(answer.body(), StandardCharsets.UTF_8);
      assertThat(text).doesNotContain("\tat ").doesNotContain(".java:");
      Problem p = Codec.JSON.decode(answer.body(), Problem.class);
      assertThat(p.status()).as("%s: %s", what, text).isEqualTo(answer.status());
      assertThat(p.title()).isNotBlank();
      assertThat(p.detail()).as("%s: %s", what, text).isNotBlank();
      if (p.type().endsWith("/invalid-input")) {
        assertThat(p.violations()).as("%s: %s", what, text).isNotEmpty();
      }
      if (answer.status() == 400
          && r.mutation().aimsAtAField()
          && r.wellFormedUri()
          && r.op().operation().has("requestBody")) {
        // A field was broken in well-formed JSON: the problem names where (a syntax error has
        // no field, but none was made here).
        assertThat(p.violations())
            .as("%s with %s (variant %d): %s", what, r.mutation(), r.variant(), text)
            .anySatisfy(v -> assertThat(v.field()).isNotBlank());
      }
    }
  }

  /** The fuzz is no fuzz if it never got past the gate: it must reach every operation's handler. */
  @AfterProperty
  void everyOperationWasReached() {
    if (failed) {
      return; // the property's own failure says more
    }
    assertThat(seen.keySet()).hasSize(ops.size());
    assertThat(successes.get()).as("2xx answers").isGreaterThan(TRIES / 20);
  }

  @Provide
  Arbitrary<Request> requests() {
    return Arbitraries.of(ops).flatMap(this::requestFor);
  }

  private Arbitrary<Request> requestFor(Op op) {
    int params = (int) op.path().chars().filter(c -> c == '{').count();
    // Mostly the credential the operation wants (to get past the gate), sometimes another kind,
    // a wrong one or none.
    String scheme =
        op.operation().path("security").path(0).fieldNames().hasNext()
            ? op.operation().path("security").path(0).fieldNames().next()
            : "";
    String right = scheme.equals("agentToken") ? JOIN : ADMIN;
    String other = scheme.equals("agentToken") ? ADMIN : JOIN;
    Arbitrary<String> tokens =
        Arbitraries.frequencyOf(
            Tuple.of(24, Arbitraries.just(scheme.isEmpty() ? "" : bearer(right))),
            Tuple.of(2, Arbitraries.just(bearer(WEB))),
            Tuple.of(1, Arbitraries.just(bearer(other))),
            Tuple.of(1, Arbitraries.just("")),
            Tuple.of(1, Arbitraries.just("Authorization: Bearer wrong\r\n")),
            Tuple.of(1, Arbitraries.just("Authorization: Basic YTpi\r\n")));
    Arbitrary<List<PathValue>> values = pathValue().list().ofSize(params);
    Arbitrary<String> queries =
        Arbitraries.frequency(
            Tuple.of(10, ""),
            Tuple.of(1, "?x=1"),
            Tuple.of(1, "?%zz=%"),
            Tuple.of(1, "?a=%00&a=2"),
            Tuple.of(1, "?limit=99999999999999999999&offset=-1"),
            Tuple.of(1, "?" + "q".repeat(2000)));
    Arbitrary<String> headers =
        Arbitraries.frequency(
            Tuple.of(10, ""),
            Tuple.of(1, "Content-Type: text/plain\r\n"),
            Tuple.of(1, "Content-Type: application/json; charset=utf-16\r\n"),
            Tuple.of(1, "Accept: text/html\r\n"),
            Tuple.of(1, Paths.STREAM_ID_HEADER + ": %00garbage\r\n"),
            Tuple.of(1, "Content-Encoding: gzip\r\n"),
            Tuple.of(1, "X-Long: " + "h".repeat(4000) + "\r\n"));
    Arbitrary<Mutation> mutations =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(Mutation.VALID)),
            Tuple.of(14, Arbitraries.of(Mutation.class)));
    Arbitrary<Integer> variants = Arbitraries.integers().between(0, 10_000);
    Arbitrary<String> texts =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(40),
            Arbitraries.of(
                "", "\u0000", "\uD800", "\u202Eevil", "😀".repeat(50), "a".repeat(70_000)));
    return Combinators.combine(tokens, values, queries, headers, mutations, variants, texts)
        .as((t, v, q, h, m, n, s) -> new Request(op, t, v, q, h, m, n, s));
  }

  private static Arbitrary<PathValue> pathValue() {
    Arbitrary<PathValue> plain =
        Arbitraries.of(
                agentId,
                agentId,
                "a1",
                "web",
                "0",
                "x".repeat(300),
                "f-1",
                "ümlaut",
                "a b",
                "%",
                "a.b")
            .map(s -> new PathValue(encodeSegment(s), true));
    Arbitrary<PathValue> random =
        Arbitraries.strings()
            .all()
            .ofMinLength(1)
            .ofMaxLength(30)
            .filter(s -> !s.equals(".") && !s.equals("..") && !s.contains("/"))
            // Jetty refuses an encoded NUL in a path as invalid HTTP, before any handler.
            .map(s -> new PathValue(encodeSegment(s), s.indexOf('\u0000') < 0));
    Arbitrary<PathValue> garbage =
        Arbitraries.of(
                "%zz",
                "%", "%0", "%00", "a%2Fb", "..", "%2e%2e", "%C3%28", "a;b=c", "%u0041", "a%20%20",
                "\u00ff", "a\tb", "%ff%fe")
            .map(s -> new PathValue(s, false));
    return Arbitraries.frequencyOf(Tuple.of(4, plain), Tuple.of(3, random), Tuple.of(2, garbage));
  }

  private static String bearer(String token) {
    return "Authorization: Bearer " + token + "\r\n";
  }

  /** Percent-encodes every byte of {@code s} but the unreserved ones (RFC 3986). */
  static String encodeSegment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private byte[] encode(Request r) {
    String path = r.op().path();
    for (PathValue v : r.params()) {
      path = path.replaceFirst("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(v.wire()));
    }
    byte[] body = body(r);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        r.op().method()
            + " "
            + path
            + r.query()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + r.token()
            + r.header()
            + (body == null
                ? ""
                : (r.header().startsWith("Content-Type")
                        ? ""
                        : "Content-Type: application/json\r\n")
                    + "Content-Length: "
                    + body.length
                    + "\r\n")
            + "\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** The body to send, or null for none; the mutated field goes into {@code text} for reports. */
  private static byte[] body(Request r) {
    JsonNode valid = bodies.valid(r.op().operation(), r.variant());
    if (valid == null) {
      return r.mutation() == Mutation.VALID ? null : "{\"unexpected\":true}".getBytes();
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<String> fields = RequestBodies.paths(valid);
    String field = fields.isEmpty() ? null : fields.get(r.variant() % fields.size());
    String deep = "[".repeat(5000) + "]".repeat(5000);
    String json =
        switch (r.mutation()) {
          case VALID -> valid.toString();
          case ROOT_NULL -> "null";
          case ROOT_ARRAY -> "[]";
          case TRUNCATED -> valid.toString().substring(0, valid.toString().length() / 2);
          case NOT_JSON -> "\u00ff\u00fe not json " + r.text();
          case EMPTY -> "";
          case DEEP_NESTING ->
              field == null ? deep : mutate(valid, field, f.textNode("@@")).replace("\"@@\"", deep);
          case UNKNOWN_FIELD ->
              valid.isObject()
                  ? ((com.fasterxml.jackson.databind.node.ObjectNode) valid.deepCopy())
                      .put("zzUnknown" + r.variant(), r.text())
                      .toString()
                  : valid.toString();
          default -> {
            if (field == null) {
              yield valid.toString();
            }
            JsonNode replacement =
                switch (r.mutation()) {
                  case NULL_FIELD -> f.nullNode();
                  case WRONG_TYPE -> wrongType(at(valid, field));
                  case HUGE_NUMBER -> f.numberNode(new java.math.BigInteger("9".repeat(400)));
                  case NEGATIVE_NUMBER -> f.numberNode(-1);
                  case ODD_STRING -> f.textNode(r.text());
                  default -> null; // REMOVE_FIELD
                };
            yield mutate(valid, field, replacement);
          }
        };
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode at(JsonNode root, String field) {
    return lookup(root, field);
  }

  private static JsonNode lookup(JsonNode root, String path) {
    JsonNode node = root;
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      String name = bracket < 0 ? part : part.substring(0, bracket);
      if (!name.isEmpty()) {
        node = node.get(name);
      }
      for (int i = bracket; i >= 0; i = part.indexOf('[', i + 1)) {
        node = node.get(Integer.parseInt(part.substring(i + 1, part.indexOf(']', i))));
      }
    }
    return node;
  }

  private static JsonNode wrongType(JsonNode value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null || value.isTextual()) {
      return f.numberNode(12);
    }
    if (value.isNumber() || value.isBoolean()) {
      return f.textNode("twelve");
    }
    if (value.isArray()) {
      return f.objectNode().put("a", 1);
    }
    return f.arrayNode().add(1);
  }

  private static String mutate(JsonNode valid, String field, JsonNode replacement) {
    return RequestBodies.replace(valid.deepCopy(), field, replacement).toString();
  }
}

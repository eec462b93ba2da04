package io.strata.provisioner.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {
  private static String render(String text, Map<String, ?> vars) {
    return Template.parse("t.tftpl", text).render(vars);
  }

  @Test
  void rendersEveryConstructOfTheLanguage() {
    Map<String, Object> servers = new LinkedHashMap<>();
    servers.put("2", "10.0.0.2");
    servers.put("1", "10.0.0.1");
    String text =
        """
        port: ${port}, name: ${jsonencode(name)}
        %{ if zk != "" ~}
        zk: ${zk}
        %{ for id, address in servers ~}
          server.${id}=${address}
        %{ endfor ~}
        %{ endif ~}
        attrs: ${jsonencode(servers)}%{ if zk != "" }, more%{ endif }
        """;
    Map<String, Object> vars =
        Map.of("port", 5050, "name", "a\"<b>", "zk", "zk://x/strata", "servers", servers);
    assertThat(render(text, vars))
        .isEqualTo(
            """
            port: 5050, name: "a\\"\\u003cb\\u003e"
            zk: zk://x/strata
              server.1=10.0.0.1
              server.2=10.0.0.2
            attrs: {"1":"10.0.0.1","2":"10.0.0.2"}, more
            """);
    Map<String, Object> single = Map.of("port", 5050, "name", "n", "zk", "", "servers", Map.of());
    assertThat(render(text, single)).isEqualTo("port: 5050, name: \"n\"\nattrs: {}\n");
  }

  @Test
  void aStripMarkerTrimsWhitespaceUpToAndIncludingTheFirstNewlineOnly() {
    assertThat(render("a%{ if x != \"\" ~}  \t\n\n  b%{ endif ~}c", Map.of("x", "y")))
        .isEqualTo("a\n  bc");
    assertThat(render("a%{ if x != \"\" ~}  b%{ endif }", Map.of("x", "y"))).isEqualTo("ab");
    assertThat(render("a%{ if x != \"\" }  \nb%{ endif }", Map.of("x", "y"))).isEqualTo("a  \nb");
  }

  @Test
  void numbersAreDecimalAndMapsIterateInCodePointOrder() {
    assertThat(render("${n} ${m}", Map.of("n", new BigDecimal("5050.0"), "m", 12345678901L)))
        .isEqualTo("5050 12345678901");
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("\uD83D\uDE00", "emoji"); // U+1F600: after U+FF5E in UTF-8, before it in UTF-16
    keys.put("\uFF5E", "tilde");
    keys.put("B", "upper");
    keys.put("a", "lower");
    assertThat(render("%{ for k, v in m }${v} %{ endfor }", Map.of("m", keys)))
        .isEqualTo("upper lower tilde emoji ");
  }

  @Test
  void theResultIsInNormalFormC() {
    assertThat(render("e${s}", Map.of("s", "\u0301tail"))).isEqualTo("\u00e9tail");
  }

  @Test
  void variablesAreWhatTheTemplateReadsWithoutLoopVariables() {
    Template t =
        Template.parse(
            "t",
            "%{ if a != \"\" }%{ for k, v in m }${k}${jsonencode(v)}${w}%{ endfor }%{ endif }");
    assertThat(t.variables()).containsExactly("a", "m", "w");
  }

  /** The three real templates keep to the language and read exactly what variables.json lists. */
  @Test
  void theBootstrapTemplatesReadExactlyTheVariablesOfVariablesJson() throws Exception {
    JsonNode contract = new ObjectMapper().readTree(BootstrapScripts.load("variables.json"));
    for (String name :
        List.of(
            BootstrapScripts.ALLOCATOR,
            BootstrapScripts.LINUX_AGENT,
            BootstrapScripts.WINDOWS_AGENT)) {
      TreeSet<String> listed = new TreeSet<>();
      contract.path(name).forEach(v -> listed.add(v.path("name").asText()));
      assertThat(Template.parse(name, BootstrapScripts.load(name)).variables())
          .as(name)
          .containsExactlyElementsOf(listed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          escaped interpolation       | 'ab\\n c $${x}'                       | 2 | 4 | the escape $${
          escaped directive           | 'x %%{ if }'                          | 1 | 3 | the escape %%{
          another function            | 'a\\n\\n  ${upper(a)}'                | 3 | 3 | unsupported interpolation ${upper(a)}
          attribute access            | '${a.b}'                              | 1 | 1 | unsupported interpolation
          arithmetic                  | '${a + 1}'                            | 1 | 1 | unsupported interpolation
          a string literal            | '${"x"}'                              | 1 | 1 | unsupported interpolation
          a strip marker before       | 'x\\n${~ a}'                          | 2 | 1 | the strip marker in ${~ a}
          a strip marker after ${     | '${a ~}'                              | 1 | 1 | the strip marker in ${a ~}
          a directive stripping left  | '%{~ if a != "" }x%{ endif }'         | 1 | 1 | the strip marker in %{~
          else                        | '%{ if a != "" }x%{ else }y%{ endif }' | 1 | 17 | unsupported directive %{ else }
          equality                    | '%{ if a == "x" }y%{ endif }'         | 1 | 1 | unsupported directive %{ if a == "x" }
          a bool condition            | '%{ if a }y%{ endif }'                | 1 | 1 | unsupported directive %{ if a }
          a for over a list           | '%{ for v in l }y%{ endfor }'         | 1 | 1 | unsupported directive %{ for v in l }
          a for over an expression    | '%{ for k, v in keys(m) }y%{ endfor }' | 1 | 1 | unsupported directive
          an unclosed if              | 'a\\n  %{ if a != "" }x'              | 2 | 3 | %{ if } is never closed
          a stray endfor              | 'x%{ endfor }'                        | 1 | 2 | %{ endfor } has no %{ for } to close
          endif closing a for         | '%{ for k, v in m }x%{ endif }'       | 1 | 20 | %{ endif } has no %{ if } to close
          an unterminated sequence    | 'x ${a'                               | 1 | 3 | ${ is never closed by }
          """)
  void refusesWhatIsOutsideTheLanguageSayingWhere(
      String what, String text, int line, int column, String problem) {
    String template = text.replace("\\n", "\n");
    assertThatThrownBy(() -> Template.parse("node.yaml.tftpl", template))
        .as(what)
        .isInstanceOfSatisfying(
            TemplateException.class,
            e -> {
              assertThat(e.template()).isEqualTo("node.yaml.tftpl");
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.column()).isEqualTo(column);
            })
        .hasMessageStartingWith("node.yaml.tftpl:" + line + ":" + column + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void renderingErrorsSayWhatAndWhere() {
    assertThatThrownBy(() -> render("a\n  ${missing}", Map.of()))
        .isInstanceOf(TemplateException.class)
        .hasMessage("t.tftpl:2:3: no variable \"missing\" was given");
    assertThatThrownBy(() -> render("${m}", Map.of("m", Map.of("a", "b"))))
        .hasMessage("t.tftpl:1:1: \"m\" is a map: write ${jsonencode(m)}");
    assertThatThrownBy(() -> render("%{ if n != \"\" }x%{ endif }", Map.of("n", 1)))
        .hasMessage("t.tftpl:1:1: %{ if n != ... } needs a string");
    assertThatThrownBy(() -> render("x%{ for k, v in s }x%{ endfor }", Map.of("s", "str")))
        .hasMessage("t.tftpl:1:2: %{ for ... in s } needs a map");
    assertThatThrownBy(() -> render("${jsonencode(s)}", Map.of("s", "a\uD800b")))
        .hasMessageContaining("t.tftpl:1:1: a string holds a lone UTF-16 surrogate");
  }
}

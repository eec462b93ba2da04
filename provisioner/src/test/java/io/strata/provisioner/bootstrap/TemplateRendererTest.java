package io.strata.provisioner.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {
  private final TemplateRenderer renderer = new TemplateRenderer();

  private String render(String template, Map<String, Object> vars) {
    return renderer.render(template, vars);
  }

  @Test
  void interpolatesVariablesAttributesAndIndexes() {
    Map<String, Object> vars =
        Map.of(
            "name",
            "web",
            "count",
            3,
            "node",
            Map.of("os", "linux", "ports", List.of(80, 443)),
            "ok",
            true);
    assertThat(
            render(
                "${name}-${count} ${node.os} ${node.ports[1]} ${node[\"os\"]} ${ok} ${node.ports.0}",
                vars))
        .isEqualTo("web-3 linux 443 linux true 80");
  }

  @Test
  void escapesAreLiteral() {
    assertThat(render("$${HOME} %%{ if } $$x", Map.of())).isEqualTo("${HOME} %{ if } $$x");
  }

  @Test
  void ifElseWithStripMarkers() {
    String t =
        """
        start
        %{ if windows ~}
        win
        %{ else ~}
        lin
        %{ endif ~}
        end
        """;
    assertThat(render(t, Map.of("windows", true))).isEqualTo("start\nwin\nend\n");
    assertThat(render(t, Map.of("windows", false))).isEqualTo("start\nlin\nend\n");
  }

  @Test
  void withoutStripMarkersWhitespaceIsKept() {
    assertThat(render("a\n%{ if x }\nb\n%{ endif }\nc", Map.of("x", true)))
        .isEqualTo("a\n\nb\n\nc");
  }

  @Test
  void stripMarkersTrimOnlyTheAdjacentLinePiece() {
    assertThat(render("a  \n\n  ${~ x}", Map.of("x", "b"))).isEqualTo("a  \n\nb");
    assertThat(render("a  \n \t\n${~ x}", Map.of("x", "b"))).isEqualTo("a  \nb");
    assertThat(render("${x ~}  \n\n  c", Map.of("x", "b"))).isEqualTo("b\n  c");
    assertThat(render("${x ~}  c", Map.of("x", "b"))).isEqualTo("bc");
  }

  @Test
  void forOverMapsIsInKeyOrderAndOverListsWithIndex() {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("zone", "b");
    attrs.put("rack", "a");
    String t = "%{ for k, v in attrs ~}\n${k}=${v}\n%{ endfor ~}\n";
    assertThat(render(t, Map.of("attrs", attrs))).isEqualTo("rack=a\nzone=b\n");
    assertThat(
            render(
                "%{ for i, x in xs }${i}:${x};%{ endfor }%{for x in xs}[${x}]%{endfor}",
                Map.of("xs", List.of("p", "q"))))
        .isEqualTo("0:p;1:q;[p][q]");
  }

  @Test
  void functionsBehaveLikeTerraforms() {
    Map<String, Object> vars =
        Map.of(
            "m", Map.of("b", 1, "a", List.of("x<y", "q\"&\n")),
            "lines", "one\ntwo\n",
            "xs", List.of("a", "b", "c"));
    assertThat(render("${jsonencode(m)}", vars))
        .isEqualTo("{\"a\":[\"x\\u003cy\",\"q\\\"\\u0026\\n\"],\"b\":1}");
    assertThat(render("${indent(4, lines)}", vars)).isEqualTo("one\n    two\n    ");
    assertThat(render("${base64encode(\"hi there\")}", vars)).isEqualTo("aGkgdGhlcmU=");
    assertThat(render("${join(\",\", xs)}", vars)).isEqualTo("a,b,c");
    assertThat(render("${length(xs)} ${upper(\"a\")} ${trimspace(\"  z \")}", vars))
        .isEqualTo("3 A z");
  }

  @Test
  void expressionsAndQuotedTemplates() {
    Map<String, Object> vars = Map.of("n", 2, "os", "windows", "host", "h1");
    assertThat(render("${n + 1} ${n * 3 == 6} ${os == \"windows\" ? \"w\" : \"l\"}", vars))
        .isEqualTo("3 true w");
    assertThat(render("${\"${host}:${n}\"} ${!(n > 1) || false}", vars)).isEqualTo("h1:2 false");
    assertThat(render("%{ if os != \"linux\" && n >= 2 }yes%{ endif }", vars)).isEqualTo("yes");
  }

  @Test
  void errorsSayWhatAndWhere() {
    assertThatThrownBy(() -> render("a\n${missing}", Map.of()))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> render("%{ if true }x", Map.of()))
        .hasMessageContaining("no matching %{ endif }");
    assertThatThrownBy(() -> render("${xs}", Map.of("xs", List.of())))
        .hasMessageContaining("jsonencode");
    assertThatThrownBy(() -> render("${nosuch(1)}", Map.of()))
        .hasMessageContaining("unsupported function");
    assertThatThrownBy(() -> render("%{ endfor }", Map.of())).hasMessageContaining("unexpected");
  }
}

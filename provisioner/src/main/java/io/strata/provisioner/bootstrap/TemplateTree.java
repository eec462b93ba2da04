package io.strata.provisioner.bootstrap;

import io.strata.provisioner.bootstrap.TemplateParser.Directive;
import io.strata.provisioner.bootstrap.TemplateParser.Interp;
import io.strata.provisioner.bootstrap.TemplateParser.Lit;
import io.strata.provisioner.bootstrap.TemplateParser.Token;
import java.util.ArrayList;
import java.util.List;

/** Turns the parser's flat token list into nested if/for nodes. */
final class TemplateTree {

  private final List<Token> tokens;
  private int next;

  TemplateTree(List<Token> tokens) {
    this.tokens = tokens;
  }

  List<TemplateNode> build() {
    List<TemplateNode> nodes = block();
    if (next < tokens.size()) {
      Directive d = (Directive) tokens.get(next);
      throw new TemplateException("line " + d.line() + ": unexpected %{ " + d.keyword() + " }");
    }
    return nodes;
  }

  /** Reads nodes until an else/endif/endfor (left unread) or the end. */
  private List<TemplateNode> block() {
    List<TemplateNode> nodes = new ArrayList<>();
    while (next < tokens.size()) {
      Token t = tokens.get(next);
      switch (t) {
        case Lit lit -> {
          next++;
          if (!lit.text.isEmpty()) {
            nodes.add(new TemplateNode.Text(lit.text));
          }
        }
        case Interp in -> {
          next++;
          nodes.add(new TemplateNode.Interpolation(in.expr(), in.line()));
        }
        case Directive d -> {
          switch (d.keyword()) {
            case "if" -> {
              next++;
              List<TemplateNode> then = block();
              List<TemplateNode> otherwise = List.of();
              if (isDirective("else")) {
                next++;
                otherwise = block();
              }
              close("endif", "if", d.line());
              nodes.add(new TemplateNode.If(d.expr(), then, otherwise, d.line()));
            }
            case "for" -> {
              next++;
              List<TemplateNode> body = block();
              close("endfor", "for", d.line());
              nodes.add(new TemplateNode.For(d.key(), d.value(), d.expr(), body, d.line()));
            }
            default -> {
              return nodes;
            }
          }
        }
      }
    }
    return nodes;
  }

  private boolean isDirective(String keyword) {
    return next < tokens.size()
        && tokens.get(next) instanceof Directive d
        && d.keyword().equals(keyword);
  }

  private void close(String keyword, String opener, int line) {
    if (!isDirective(keyword)) {
      throw new TemplateException(
          "line " + line + ": %{ " + opener + " } has no matching %{ " + keyword + " }");
    }
    next++;
  }
}

package io.strata.provisioner.bootstrap;

import io.strata.provisioner.bootstrap.TemplateNode.Position;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the template language of {@code terraform/templates/} (see its README): literal text,
 * {@code ${NAME}}, {@code ${jsonencode(NAME)}}, {@code %{ if NAME != "TEXT" }} ... {@code %{ endif
 * }}, {@code %{ for KEY, VALUE in NAME }} ... {@code %{ endfor }}, and {@code ~}} ending a
 * directive. Anything else Terraform would accept (escapes, {@code else}, other functions, other
 * strip markers...) is refused with the template's name, line and column, so that the two renderers
 * never disagree on a construct only one of them implements.
 */
final class TemplateParser {
  private static final String NAME = "([a-z_][a-z0-9_]*)";
  private static final String SP = "[ \\t]*";
  private static final Pattern VALUE = Pattern.compile(SP + NAME + SP);
  private static final Pattern JSON =
      Pattern.compile(SP + "jsonencode\\(" + SP + NAME + SP + "\\)" + SP);
  private static final Pattern IF =
      Pattern.compile(SP + "if[ \\t]+" + NAME + SP + "!=" + SP + "\"([^\"\\\\$%{}\\n]*)\"" + SP);
  private static final Pattern FOR =
      Pattern.compile(
          SP + "for[ \\t]+" + NAME + SP + "," + SP + NAME + "[ \\t]+in[ \\t]+" + NAME + SP);
  private static final Pattern END = Pattern.compile(SP + "(endif|endfor)" + SP);

  static final String LANGUAGE =
      "the template language has ${NAME}, ${jsonencode(NAME)}, %{ if NAME != \"TEXT\" },"
          + " %{ endif }, %{ for KEY, VALUE in NAME }, %{ endfor }, and ~} ending a directive";

  private final String name;
  private final String text;

  /** An open if or for, with the nodes of its body so far. */
  private record Open(String keyword, Matcher header, Position at, List<TemplateNode> body) {}

  private TemplateParser(String name, String text) {
    this.name = name;
    this.text = text;
  }

  static List<TemplateNode> parse(String name, String text) {
    return new TemplateParser(name, text).parse();
  }

  private List<TemplateNode> parse() {
    List<TemplateNode> top = new ArrayList<>();
    Deque<Open> open = new ArrayDeque<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i) || text.startsWith("%%{", i)) {
        throw error(
            i, "the escape " + text.substring(i, i + 3) + " is not in the template language");
      }
      if (!text.startsWith("${", i) && !text.startsWith("%{", i)) {
        literal.append(text.charAt(i++));
        continue;
      }
      int close = text.indexOf('}', i + 2);
      if (close < 0) {
        throw error(i, text.substring(i, i + 2) + " is never closed by }");
      }
      List<TemplateNode> nodes = open.isEmpty() ? top : open.peek().body();
      if (!literal.isEmpty()) {
        nodes.add(new TemplateNode.Text(literal.toString()));
        literal.setLength(0);
      }
      String body = text.substring(i + 2, close);
      String sequence = text.substring(i, close + 1);
      if (body.startsWith("~") || (text.charAt(i) == '$' && body.endsWith("~"))) {
        throw error(
            i, "the strip marker in " + sequence + " is not in the template language; " + LANGUAGE);
      }
      Position at = position(i);
      if (text.charAt(i) == '$') {
        nodes.add(interpolation(sequence, body, at, i));
        i = close + 1;
        continue;
      }
      boolean strip = body.endsWith("~");
      directive(sequence, strip ? body.substring(0, body.length() - 1) : body, at, i, open, top);
      i = close + 1;
      if (strip) {
        i = stripAfter(i);
      }
    }
    if (!open.isEmpty()) {
      Open o = open.peek();
      throw new TemplateException(
          name, o.at().line(), o.at().column(), "%{ " + o.keyword() + " } is never closed");
    }
    if (!literal.isEmpty()) {
      top.add(new TemplateNode.Text(literal.toString()));
    }
    return top;
  }

  private TemplateNode interpolation(String sequence, String body, Position at, int offset) {
    Matcher m = VALUE.matcher(body);
    if (m.matches()) {
      return new TemplateNode.Value(m.group(1), at);
    }
    m = JSON.matcher(body);
    if (m.matches()) {
      return new TemplateNode.Json(m.group(1), at);
    }
    throw error(offset, "unsupported interpolation " + sequence + "; " + LANGUAGE);
  }

  private void directive(
      String sequence,
      String body,
      Position at,
      int offset,
      Deque<Open> open,
      List<TemplateNode> top) {
    Matcher m;
    if ((m = IF.matcher(body)).matches()) {
      open.push(new Open("if", m, at, new ArrayList<>()));
    } else if ((m = FOR.matcher(body)).matches()) {
      open.push(new Open("for", m, at, new ArrayList<>()));
    } else if ((m = END.matcher(body)).matches()) {
      String opener = m.group(1).substring(3);
      if (open.isEmpty() || !open.peek().keyword().equals(opener)) {
        throw error(offset, sequence + " has no %{ " + opener + " } to close");
      }
      Open o = open.pop();
      Matcher h = o.header();
      TemplateNode node =
          opener.equals("if")
              ? new TemplateNode.IfNotEqual(h.group(1), h.group(2), o.at(), List.copyOf(o.body()))
              : new TemplateNode.ForEach(
                  h.group(1), h.group(2), h.group(3), o.at(), List.copyOf(o.body()));
      (open.isEmpty() ? top : open.peek().body()).add(node);
    } else {
      throw error(offset, "unsupported directive " + sequence + "; " + LANGUAGE);
    }
  }

  /**
   * Where {@code ~}} stops trimming: HCL cuts literal text after each newline and the marker trims
   * only the piece after it, so it removes whitespace up to and including the first newline.
   */
  private int stripAfter(int i) {
    while (i < text.length() && isGoSpace(text.charAt(i))) {
      if (text.charAt(i++) == '\n') {
        break;
      }
    }
    return i;
  }

  /** Go's unicode.IsSpace, which HCL trims with. */
  static boolean isGoSpace(char c) {
    return switch (c) {
      case '\t',
          '\n',
          '\u000b',
          '\f',
          '\r',
          ' ',
          '\u0085',
          '\u00a0',
          '\u1680',
          '\u2028',
          '\u2029',
          '\u202f',
          '\u205f',
          '\u3000' ->
          true;
      default -> c >= '\u2000' && c <= '\u200a';
    };
  }

  private Position position(int offset) {
    int line = 1;
    int lineStart = 0;
    for (int k = 0; k < offset; k++) {
      if (text.charAt(k) == '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    return new Position(line, offset - lineStart + 1);
  }

  private TemplateException error(int offset, String problem) {
    Position p = position(offset);
    return new TemplateException(name, p.line(), p.column(), problem);
  }
}

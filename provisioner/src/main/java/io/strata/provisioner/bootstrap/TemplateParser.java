package io.strata.provisioner.bootstrap;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the subset of Terraform's template language our bootstrap templates use: literal text,
 * {@code ${expr}}, {@code %{ if }}/{@code %{ else }}/{@code %{ endif }}, {@code %{ for k, v in x
 * }}/{@code %{ endfor }}, the {@code ~} strip markers and the {@code $${}}/{@code %%{}} escapes. As
 * in HCL, whose scanner cuts literal text into line pieces, a strip marker trims only the adjacent
 * piece: {@code ~} before a sequence removes the whitespace ending the line before it (with that
 * line's newline when the line holds nothing else), {@code ~} after a sequence removes the
 * whitespace starting the text after it, up to and including the first newline.
 */
final class TemplateParser {
  private final String src;
  private int pos;

  private TemplateParser(String src, int pos) {
    this.src = src;
    this.pos = pos;
  }

  static List<TemplateNode> parse(String template) {
    TemplateParser parser = new TemplateParser(template, 0);
    List<Token> tokens = parser.tokens(false);
    return new TemplateTree(tokens).build();
  }

  // ---- tokens ---------------------------------------------------------------------------

  sealed interface Token {}

  static final class Lit implements Token {
    String text;

    Lit(String text) {
      this.text = text;
    }
  }

  record Interp(TemplateExpr expr, boolean stripLeft, boolean stripRight, int line)
      implements Token {}

  record Directive(
      String keyword,
      String key,
      String value,
      TemplateExpr expr,
      boolean stripLeft,
      boolean stripRight,
      int line)
      implements Token {}

  /** Reads tokens up to the end, or (inside a quoted string) up to the closing quote. */
  private List<Token> tokens(boolean quoted) {
    List<Token> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (quoted && c == '"') {
        break;
      }
      if (quoted && c == '\\') {
        text.append(escape());
        continue;
      }
      if (src.startsWith("$${", pos) || src.startsWith("%%{", pos)) {
        text.append(c).append('{');
        pos += 3;
      } else if (src.startsWith("${", pos) || src.startsWith("%{", pos)) {
        out.add(new Lit(text.toString()));
        text.setLength(0);
        out.add(c == '$' ? interpolation() : directive());
      } else {
        text.append(c);
        pos++;
      }
    }
    out.add(new Lit(text.toString()));
    applyStripMarkers(out);
    return out;
  }

  private static void applyStripMarkers(List<Token> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      boolean left =
          (tokens.get(i) instanceof Interp in && in.stripLeft())
              || (tokens.get(i) instanceof Directive d && d.stripLeft());
      boolean right =
          (tokens.get(i) instanceof Interp in && in.stripRight())
              || (tokens.get(i) instanceof Directive d && d.stripRight());
      if (left && i > 0 && tokens.get(i - 1) instanceof Lit lit) {
        lit.text = trimEnd(lit.text);
      }
      if (right && i + 1 < tokens.size() && tokens.get(i + 1) instanceof Lit lit) {
        lit.text = trimStart(lit.text);
      }
    }
  }

  /** Trims whitespace off the end of the last line piece (which may end in its newline). */
  static String trimEnd(String s) {
    int cut = s.lastIndexOf('\n', s.length() - 2) + 1;
    int end = s.length();
    while (end > cut && isGoSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Trims whitespace off the start of the first line piece, its newline included. */
  static String trimStart(String s) {
    int newline = s.indexOf('\n');
    int pieceEnd = newline < 0 ? s.length() : newline + 1;
    int start = 0;
    while (start < pieceEnd && isGoSpace(s.charAt(start))) {
      start++;
    }
    return s.substring(start);
  }

  /** Go's unicode.IsSpace, which HCL uses. */
  static boolean isGoSpace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0' -> true;
      default -> Character.isSpaceChar(c);
    };
  }

  private Interp interpolation() {
    int line = line();
    pos += 2;
    boolean stripLeft = consume('~');
    TemplateExpr expr = expression();
    boolean stripRight = closeBrace();
    return new Interp(expr, stripLeft, stripRight, line);
  }

  private Directive directive() {
    int line = line();
    pos += 2;
    boolean stripLeft = consume('~');
    skipSpace();
    String keyword = identifier();
    Directive d;
    switch (keyword) {
      case "if" -> {
        TemplateExpr condition = expression();
        d = new Directive("if", null, null, condition, stripLeft, closeBrace(), line);
      }
      case "else", "endif", "endfor" ->
          d = new Directive(keyword, null, null, null, stripLeft, closeBrace(), line);
      case "for" -> {
        skipSpace();
        String first = identifier();
        skipSpace();
        String second = null;
        if (consume(',')) {
          skipSpace();
          second = identifier();
          skipSpace();
        }
        if (!identifier().equals("in")) {
          throw error("expected 'in' in the for directive");
        }
        TemplateExpr collection = expression();
        String key = second == null ? null : first;
        String value = second == null ? first : second;
        d = new Directive("for", key, value, collection, stripLeft, closeBrace(), line);
      }
      default -> throw error("unknown directive '" + keyword + "'");
    }
    return d;
  }

  /** Reads the optional {@code ~} and the closing brace; true if the marker was there. */
  private boolean closeBrace() {
    skipSpace();
    boolean strip = consume('~');
    skipSpace();
    if (!consume('}')) {
      throw error("expected '}'");
    }
    return strip;
  }

  // ---- expressions ----------------------------------------------------------------------

  private TemplateExpr expression() {
    TemplateExpr condition = binary(0);
    skipSpace();
    if (peek('?')) {
      int line = line();
      pos++;
      TemplateExpr then = expression();
      skipSpace();
      expect(':');
      TemplateExpr otherwise = expression();
      return new TemplateExpr.Conditional(condition, then, otherwise, line);
    }
    return condition;
  }

  private static final String[][] LEVELS = {
    {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}
  };

  private TemplateExpr binary(int level) {
    if (level == LEVELS.length) {
      return unary();
    }
    TemplateExpr left = binary(level + 1);
    while (true) {
      skipSpace();
      String op = operatorAt(LEVELS[level]);
      if (op == null) {
        return left;
      }
      int line = line();
      pos += op.length();
      left = new TemplateExpr.Binary(op, left, binary(level + 1), line);
    }
  }

  private String operatorAt(String[] ops) {
    for (String op : ops) {
      if (src.startsWith(op, pos)) {
        return op;
      }
    }
    return null;
  }

  private TemplateExpr unary() {
    skipSpace();
    if (peek('!') || peek('-')) {
      int line = line();
      String op = String.valueOf(src.charAt(pos++));
      return new TemplateExpr.Unary(op, unary(), line);
    }
    return postfix(primary());
  }

  private TemplateExpr postfix(TemplateExpr target) {
    while (true) {
      if (peek('.')) {
        int line = line();
        pos++;
        if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
          target = new TemplateExpr.Index(target, number(), line);
        } else {
          target = new TemplateExpr.Attribute(target, identifier(), line);
        }
      } else if (peek('[')) {
        int line = line();
        pos++;
        TemplateExpr key = expression();
        skipSpace();
        expect(']');
        target = new TemplateExpr.Index(target, key, line);
      } else {
        return target;
      }
    }
  }

  private TemplateExpr primary() {
    skipSpace();
    if (pos >= src.length()) {
      throw error("unexpected end of template in an expression");
    }
    char c = src.charAt(pos);
    int line = line();
    if (c == '"') {
      pos++;
      List<Token> tokens = tokens(true);
      expect('"');
      List<TemplateNode> parts = new TemplateTree(tokens).build();
      if (parts.size() == 1 && parts.get(0) instanceof TemplateNode.Text t) {
        return new TemplateExpr.Literal(t.text());
      }
      return new TemplateExpr.Quoted(parts);
    }
    if (Character.isDigit(c)) {
      return number();
    }
    if (c == '(') {
      pos++;
      TemplateExpr inner = expression();
      skipSpace();
      expect(')');
      return inner;
    }
    if (c == '[') {
      pos++;
      List<TemplateExpr> items = new ArrayList<>();
      skipSpace();
      while (!consume(']')) {
        items.add(expression());
        skipSpace();
        if (!consume(',')) {
          skipSpace();
          expect(']');
          break;
        }
        skipSpace();
      }
      return new TemplateExpr.ListOf(items);
    }
    if (c == '{') {
      pos++;
      List<TemplateExpr> keys = new ArrayList<>();
      List<TemplateExpr> values = new ArrayList<>();
      skipSpace();
      while (!consume('}')) {
        TemplateExpr key = objectKey();
        skipSpace();
        if (!consume('=')) {
          expect(':');
        }
        keys.add(key);
        values.add(expression());
        skipSpace();
        consume(',');
        skipSpace();
      }
      return new TemplateExpr.ObjectOf(keys, values);
    }
    String name = identifier();
    switch (name) {
      case "true" -> {
        return new TemplateExpr.Literal(Boolean.TRUE);
      }
      case "false" -> {
        return new TemplateExpr.Literal(Boolean.FALSE);
      }
      case "null" -> {
        return new TemplateExpr.Literal(null);
      }
      default -> {}
    }
    skipSpace();
    if (consume('(')) {
      List<TemplateExpr> args = new ArrayList<>();
      skipSpace();
      while (!consume(')')) {
        args.add(expression());
        skipSpace();
        if (!consume(',')) {
          skipSpace();
          expect(')');
          break;
        }
        skipSpace();
      }
      return new TemplateExpr.Call(name, args, line);
    }
    return new TemplateExpr.Variable(name, line);
  }

  private TemplateExpr objectKey() {
    skipSpace();
    if (peek('"') || peek('(')) {
      return primary();
    }
    return new TemplateExpr.Literal(identifier());
  }

  private TemplateExpr number() {
    int start = pos;
    while (pos < src.length()
        && (Character.isDigit(src.charAt(pos))
            || src.charAt(pos) == '.'
                && pos + 1 < src.length()
                && Character.isDigit(src.charAt(pos + 1)))) {
      pos++;
    }
    return new TemplateExpr.Literal(new BigDecimal(src.substring(start, pos)));
  }

  private String identifier() {
    int start = pos;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || (c == '-' && pos > start)) {
        pos++;
      } else {
        break;
      }
    }
    if (start == pos) {
      throw error("expected a name");
    }
    return src.substring(start, pos);
  }

  private String escape() {
    pos++;
    if (pos >= src.length()) {
      throw error("unterminated escape");
    }
    char c = src.charAt(pos++);
    return switch (c) {
      case 'n' -> "\n";
      case 'r' -> "\r";
      case 't' -> "\t";
      case '"' -> "\"";
      case '\\' -> "\\";
      case 'u' -> {
        String hex = src.substring(pos, Math.min(pos + 4, src.length()));
        pos += 4;
        yield String.valueOf((char) Integer.parseInt(hex, 16));
      }
      default -> throw error("unknown escape \\" + c);
    };
  }

  private void skipSpace() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    return pos < src.length() && src.charAt(pos) == c;
  }

  private boolean consume(char c) {
    if (peek(c)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw error("expected '" + c + "'");
    }
  }

  private int line() {
    int line = 1;
    for (int i = 0; i < pos && i < src.length(); i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private TemplateException error(String message) {
    String found = pos < src.length() ? "'" + src.charAt(pos) + "'" : "end of template";
    return new TemplateException("line " + line() + ": " + message + " (found " + found + ")");
  }
}

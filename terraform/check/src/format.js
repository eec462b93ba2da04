'use strict';
// Canonical formatting as `terraform fmt` (hclwrite) produces it, checked without Terraform:
//  - indentation: two spaces per open bracket level, computed line by line as hclwrite does
//    (a line's net bracket count pushes or pops one indent level);
//  - alignment: in a run of consecutive single-line attribute assignments, every `=` stands one
//    space after the longest name; a blank line, a comment line, a block line or a multi-line
//    value ends the run;
//  - spacing: one space after `=`, after `,` and around `==` `!=` `&&` `||` `=>` `>=` `<=`; none
//    just inside ( ) [ ] or before `,`; no runs of spaces inside a line except alignment padding;
//  - no trailing whitespace, no tabs or CR, exactly one newline at the end of the file.
// Heredocs and block comments are outside what this check can judge, so they are refused.

const OPEN = new Set(['{', '[', '(']);
const CLOSE = new Set(['}', ']', ')']);
const OPERATORS = ['==', '!=', '&&', '||', '=>', '>=', '<='];

/** Splits a line into code tokens; strings and comments become single tokens. */
function tokenizeLine(line, report) {
  const tokens = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ') {
      i++;
      continue;
    }
    if (c === '#' || line.startsWith('//', i)) {
      tokens.push({ kind: 'comment', text: line.substring(i), start: i });
      break;
    }
    if (line.startsWith('/*', i)) {
      report('block comments (/* */) are not used here; write # comments');
      return null;
    }
    if (line.startsWith('<<', i)) {
      report('heredocs are not used here (the format check cannot judge them); use a quoted string or a template file');
      return null;
    }
    if (c === '"') {
      const end = stringEnd(line, i + 1);
      if (end < 0) {
        report('a quoted string must end on the line where it starts');
        return null;
      }
      tokens.push({ kind: 'string', text: line.substring(i, end), start: i });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, start: i });
      i += op.length;
      continue;
    }
    if (/[A-Za-z0-9_.\-*]/.test(c)) {
      let j = i;
      while (j < line.length && /[A-Za-z0-9_.\-*]/.test(line[j])) j++;
      tokens.push({ kind: 'word', text: line.substring(i, j), start: i });
      i = j;
      continue;
    }
    tokens.push({ kind: 'punct', text: c, start: i });
    i++;
  }
  return tokens;
}

// Index just past the closing quote, honouring escapes and ${ } / %{ } sequences; -1 if none.
function stringEnd(line, start) {
  let i = start;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') return i + 1;
    if ((c === '$' || c === '%') && line[i + 1] === '{' && line[i - 1] !== c) {
      let depth = 1;
      i += 2;
      while (i < line.length && depth > 0) {
        if (line[i] === '"') {
          const end = stringEnd(line, i + 1);
          if (end < 0) return -1;
          i = end;
          continue;
        }
        if (line[i] === '{') depth++;
        if (line[i] === '}') depth--;
        i++;
      }
      continue;
    }
    i++;
  }
  return -1;
}

function netBrackets(tokens) {
  let net = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && OPEN.has(t.text)) net++;
    if (t.kind === 'punct' && CLOSE.has(t.text)) net--;
  }
  return net;
}

/** The assignment `=` of a line, if the line is a complete single-line attribute (hclwrite's rule). */
function assignment(tokens) {
  const code = tokens.filter((t) => t.kind !== 'comment');
  const at = code.findIndex((t, i) => i > 0 && t.kind === 'punct' && t.text === '=');
  if (at < 0) return null;
  return netBrackets(code.slice(at)) === 0 ? code[at] : null;
}

function checkFormat(text, file) {
  const errors = [];
  const lines = text.split('\n');
  if (!text.endsWith('\n') || text.endsWith('\n\n')) {
    errors.push(`${file}: the file must end with exactly one newline`);
  }
  const indents = [];
  const parsed = [];
  for (let n = 0; n < lines.length - 1; n++) {
    const line = lines[n];
    const at = `${file}:${n + 1}`;
    const report = (message) => errors.push(`${at}: ${message}`);
    if (/[\t\r]/.test(line)) report('tabs and CR are not allowed (spaces and LF only)');
    if (/ +$/.test(line)) report('trailing whitespace');
    const tokens = line.trim() === '' ? [] : tokenizeLine(line, report);
    if (tokens === null) {
      parsed.push(null);
      continue;
    }
    if (tokens.length > 0) {
      // hclwrite's indentation: a net opener indents the following lines; a net closer dedents
      // this line and those after it.
      const net = netBrackets(tokens);
      let level;
      if (net > 0) {
        level = indents.length;
        indents.push(net);
      } else {
        let closed = -net;
        while (closed > 0 && indents.length > 0) {
          const top = indents[indents.length - 1];
          if (closed >= top) {
            closed -= top;
            indents.pop();
          } else {
            indents[indents.length - 1] -= closed;
            closed = 0;
          }
        }
        level = indents.length;
      }
      const actual = line.length - line.trimStart().length;
      if (actual !== 2 * level) report(`indent with ${2 * level} spaces, not ${actual}`);
      spacingRules(line, tokens, report);
    }
    parsed.push({ n, line, tokens, assign: tokens.length > 0 ? assignment(tokens) : null });
  }
  alignmentRules(parsed, file, errors);
  return errors;
}

function spacingRules(line, tokens, report) {
  const code = tokens.filter((t) => t.kind !== 'comment');
  const assign = assignment(tokens);
  for (let i = 0; i < code.length; i++) {
    const t = code[i];
    const prev = code[i - 1];
    const next = code[i + 1];
    const gapBefore = prev ? t.start - (prev.start + prev.text.length) : null;
    const gapAfter = next ? next.start - (t.start + t.text.length) : null;
    if (gapBefore !== null && gapBefore > 1 && t !== assign) report(`more than one space before "${t.text}"`);
    if (t.kind === 'punct' && t.text === ',') {
      if (gapBefore) report('no space before ","');
      if (next && gapAfter !== 1) report('one space after ","');
    }
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[') && next && gapAfter !== 0) {
      report(`no space after "${t.text}"`);
    }
    if (t.kind === 'punct' && (t.text === ')' || t.text === ']') && prev && gapBefore !== 0) {
      report(`no space before "${t.text}"`);
    }
    if (t === assign && next && gapAfter !== 1) report('one space after "="');
    if (t.kind === 'op' && ((prev && gapBefore !== 1) || (next && gapAfter !== 1))) {
      report(`one space on each side of "${t.text}"`);
    }
    if (t.kind === 'punct' && t.text === '{' && prev && gapBefore !== 1 && !['(', '['].includes(prev.text)) {
      report('one space before "{"');
    }
  }
  const comment = tokens.find((t) => t.kind === 'comment');
  if (comment && code.length > 0 && line[comment.start - 1] !== ' ') report('a space before a trailing comment');
}

function alignmentRules(parsed, file, errors) {
  let chain = [];
  const close = () => {
    if (chain.length > 0) {
      const longest = Math.max(...chain.map((p) => p.line.substring(0, p.assign.start).trimEnd().length));
      for (const p of chain) {
        if (p.assign.start !== longest + 1) {
          const name = p.line.substring(0, p.assign.start).trim();
          errors.push(`${file}:${p.n + 1}: align "=" of ${name} at column ${longest + 2} (as terraform fmt does)`);
        }
      }
    }
    chain = [];
  };
  for (const p of parsed) {
    if (p && p.assign) chain.push(p);
    else close();
  }
  close();
}

module.exports = { checkFormat };

'use strict';
// The bootstrap-template language: the small subset of Terraform's template syntax that
// terraform/templates/README.md defines, parsed strictly (anything else is an error, because the
// provisioner's Java renderer implements exactly this subset) and rendered independently of both
// Terraform and the provisioner. Semantics follow HCL/cty: NFC-normalized strings, Go
// encoding/json escaping for jsonencode, map iteration in ascending key order.

const { jsonencode, normalize, isGoSpace, compareKeys, formatNumber } = require('./values');

class TemplateError extends Error {
  constructor(message, line, column) {
    super(line ? `${line}:${column}: ${message}` : message);
    this.line = line;
    this.column = column;
  }
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Line and column (1-based) of an offset. */
function position(text, offset) {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return [line, column];
}

function fail(text, offset, message) {
  const [line, column] = position(text, offset);
  throw new TemplateError(message, line, column);
}

/**
 * Splits a template into tokens: {kind: 'text', value} and {kind: 'interp'|'directive', body,
 * stripLeft, stripRight, offset}. Escapes `$${` and `%%{` become literal text.
 */
function tokenize(text) {
  const tokens = [];
  let literal = '';
  let i = 0;
  const flush = () => {
    if (literal.length > 0) {
      tokens.push({ kind: 'text', value: literal });
      literal = '';
    }
  };
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      literal += text[i] + '{';
      i += 3;
      continue;
    }
    if (text.startsWith('${', i) || text.startsWith('%{', i)) {
      const kind = text[i] === '$' ? 'interp' : 'directive';
      const start = i;
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        fail(text, start, `unterminated ${text.substr(i, 2)} sequence`);
      }
      let body = text.substring(i + 2, close);
      if (/[{"\n]/.test(body.replace(/"[^"\\\n]*"/g, ''))) {
        fail(text, start, `unsupported template syntax '${text.substring(start, close + 1)}'`);
      }
      let stripLeft = false;
      let stripRight = false;
      if (body.startsWith('~')) {
        stripLeft = true;
        body = body.substring(1);
      }
      if (body.endsWith('~')) {
        stripRight = true;
        body = body.substring(0, body.length - 1);
      }
      flush();
      tokens.push({ kind, body: body.trim(), stripLeft, stripRight, offset: start });
      i = close + 1;
      continue;
    }
    literal += text[i];
    i++;
  }
  flush();
  // Strip markers remove the whitespace of the adjacent literal text.
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (token.kind === 'text') {
      continue;
    }
    if (token.stripLeft && t > 0 && tokens[t - 1].kind === 'text') {
      tokens[t - 1].value = trimEnd(tokens[t - 1].value);
    }
    if (token.stripRight && t + 1 < tokens.length && tokens[t + 1].kind === 'text') {
      tokens[t + 1].value = trimStart(tokens[t + 1].value);
    }
  }
  return tokens;
}

// HCL scans template text into one literal token per line (a token ends after its newline) and
// applies strip markers to the adjacent token only: `~` before a sequence trims the end of the
// line piece just before it, `~` after a sequence trims the start of the line piece after it,
// newline included. Terraform 1.11 renders test/golden/templates/strip-lines.tftpl this way.
function trimEnd(s) {
  let cut = 0;
  for (let i = s.length - 2; i >= 0; i--) {
    if (s[i] === '\n') {
      cut = i + 1;
      break;
    }
  }
  let end = s.length;
  while (end > cut && isGoSpace(s[end - 1])) {
    end--;
  }
  return s.substring(0, end);
}

function trimStart(s) {
  const newline = s.indexOf('\n');
  const pieceEnd = newline < 0 ? s.length : newline + 1;
  let start = 0;
  while (start < pieceEnd && isGoSpace(s[start])) {
    start++;
  }
  return s.substring(start);
}

/** Parses an interpolation body: NAME or jsonencode(NAME). */
function parseInterpolation(text, token) {
  let m = /^([a-z_][a-z0-9_]*)$/.exec(token.body);
  if (m) {
    return { kind: 'value', name: m[1] };
  }
  m = /^jsonencode\(\s*([a-z_][a-z0-9_]*)\s*\)$/.exec(token.body);
  if (m) {
    return { kind: 'jsonencode', name: m[1] };
  }
  return fail(
    text,
    token.offset,
    `unsupported interpolation '\${${token.body}}': only \${NAME} and \${jsonencode(NAME)}`,
  );
}

/** Parses a directive body into {word, ...}. */
function parseDirective(text, token) {
  const body = token.body;
  let m = /^if\s+([a-z_][a-z0-9_]*)$/.exec(body);
  if (m) {
    return { word: 'if', name: m[1] };
  }
  m = /^if\s+([a-z_][a-z0-9_]*)\s*(==|!=)\s*"([^"\\\n{}$%]*)"$/.exec(body);
  if (m) {
    return { word: 'if', name: m[1], op: m[2], literal: m[3] };
  }
  m = /^for\s+([a-z_][a-z0-9_]*)\s*(?:,\s*([a-z_][a-z0-9_]*)\s*)?\s+in\s+([a-z_][a-z0-9_]*)$/.exec(
    body.replace(/\s*,\s*/, ', '),
  );
  if (m) {
    const keyVar = m[2] === undefined ? null : m[1];
    const valueVar = m[2] === undefined ? m[1] : m[2];
    return { word: 'for', keyVar, valueVar, name: m[3] };
  }
  if (body === 'else' || body === 'endif' || body === 'endfor') {
    return { word: body };
  }
  return fail(text, token.offset, `unsupported directive '%{${body}}'`);
}

/** Parses a template into a tree; throws TemplateError outside the subset. */
function parse(text) {
  const tokens = tokenize(text);
  const root = { kind: 'seq', items: [] };
  const stack = [{ node: root, target: root.items, word: null, offset: 0 }];
  for (const token of tokens) {
    const top = stack[stack.length - 1];
    if (token.kind === 'text') {
      top.target.push({ kind: 'text', value: token.value });
    } else if (token.kind === 'interp') {
      top.target.push(parseInterpolation(text, token));
    } else {
      const d = parseDirective(text, token);
      if (d.word === 'if') {
        const node = { kind: 'if', name: d.name, op: d.op, literal: d.literal, then: [], else: [] };
        top.target.push(node);
        stack.push({ node, target: node.then, word: 'if', offset: token.offset });
      } else if (d.word === 'for') {
        const node = { kind: 'for', keyVar: d.keyVar, valueVar: d.valueVar, name: d.name, body: [] };
        top.target.push(node);
        stack.push({ node, target: node.body, word: 'for', offset: token.offset });
      } else if (d.word === 'else') {
        if (top.word !== 'if' || top.target === top.node.else) {
          fail(text, token.offset, '%{else} without a matching %{if}');
        }
        top.target = top.node.else;
      } else if (d.word === 'endif' || d.word === 'endfor') {
        const expected = d.word === 'endif' ? 'if' : 'for';
        if (top.word !== expected) {
          fail(text, token.offset, `%{${d.word}} without a matching %{${expected}}`);
        }
        stack.pop();
      }
    }
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    fail(text, open.offset, `%{${open.word}} is never closed`);
  }
  return root;
}

/**
 * The variables a template reads from its caller (loop variables excluded), sorted.
 */
function variables(text) {
  const names = new Set();
  const walk = (items, bound) => {
    for (const node of items) {
      if (node.kind === 'value' || node.kind === 'jsonencode' || node.kind === 'if') {
        if (!bound.has(node.name)) {
          names.add(node.name);
        }
      }
      if (node.kind === 'if') {
        walk(node.then, bound);
        walk(node.else, bound);
      } else if (node.kind === 'for') {
        if (!bound.has(node.name)) {
          names.add(node.name);
        }
        const inner = new Set(bound);
        inner.add(node.valueVar);
        if (node.keyVar) {
          inner.add(node.keyVar);
        }
        walk(node.body, inner);
      }
    }
  };
  walk(parse(text).items, new Set());
  return [...names].sort();
}

function lookup(scope, name) {
  for (let s = scope.length - 1; s >= 0; s--) {
    if (Object.prototype.hasOwnProperty.call(scope[s], name)) {
      return scope[s][name];
    }
  }
  throw new TemplateError(`vars map does not contain key "${name}"`);
}

function stringify(name, value) {
  if (typeof value === 'string') {
    return normalize(value);
  }
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (value === null || value === undefined) {
    throw new TemplateError(`"${name}" is null: a template cannot include a null value`);
  }
  throw new TemplateError(`"${name}" is a collection: use jsonencode(${name}) in the template`);
}

function renderItems(items, scope, out) {
  for (const node of items) {
    switch (node.kind) {
      case 'text':
        out.push(node.value);
        break;
      case 'value':
        out.push(stringify(node.name, lookup(scope, node.name)));
        break;
      case 'jsonencode':
        out.push(jsonencode(lookup(scope, node.name)));
        break;
      case 'if': {
        const value = lookup(scope, node.name);
        let condition;
        if (node.op === undefined) {
          if (typeof value !== 'boolean') {
            throw new TemplateError(`%{if ${node.name}} needs a bool`);
          }
          condition = value;
        } else {
          if (typeof value !== 'string') {
            throw new TemplateError(`%{if ${node.name} ${node.op} "..."} needs a string`);
          }
          const equal = normalize(value) === normalize(node.literal);
          condition = node.op === '==' ? equal : !equal;
        }
        renderItems(condition ? node.then : node.else, scope, out);
        break;
      }
      case 'for': {
        const collection = lookup(scope, node.name);
        let entries;
        if (Array.isArray(collection)) {
          entries = collection.map((v, i) => [i, v]);
        } else if (collection !== null && typeof collection === 'object') {
          entries = Object.keys(collection)
            .sort(compareKeys)
            .map((k) => [k, collection[k]]);
        } else {
          throw new TemplateError(`%{for ... in ${node.name}} needs a map or a list`);
        }
        for (const [key, value] of entries) {
          const frame = { [node.valueVar]: value };
          if (node.keyVar) {
            frame[node.keyVar] = key;
          }
          renderItems(node.body, scope.concat([frame]), out);
        }
        break;
      }
      default:
        throw new TemplateError(`internal: unknown node ${node.kind}`);
    }
  }
}

/** Renders a template with the given variables, as Terraform's templatefile() does. */
function render(text, vars) {
  const out = [];
  renderItems(parse(text).items, [vars], out);
  return normalize(out.join(''));
}

module.exports = { parse, render, variables, TemplateError };

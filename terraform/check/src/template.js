'use strict';
// The bootstrap-template language of terraform/templates/README.md, exactly: literal text,
// ${NAME}, ${jsonencode(NAME)}, %{ if NAME != "TEXT" } ... %{ endif },
// %{ for KEY, VALUE in NAME } ... %{ endfor }, and ~} ending a directive. Anything else is an
// error naming the line and column, as in the provisioner's Java renderer
// (io.strata.provisioner.bootstrap.Template), so the two never disagree on a construct only one
// implements. Rendering follows Terraform's templatefile(): NFC strings, Go encoding/json for
// jsonencode, maps in ascending key order (test/golden holds real Terraform's output).

const { jsonencode, normalize, isGoSpace, compareKeys, formatNumber } = require('./values');

class TemplateError extends Error {
  constructor(message, line, column) {
    super(`${line}:${column}: ${message}`);
    this.line = line;
    this.column = column;
  }
}

const NAME = '([a-z_][a-z0-9_]*)';
const SP = '[ \\t]*';
const VALUE = new RegExp(`^${SP}${NAME}${SP}$`);
const JSON_OF = new RegExp(`^${SP}jsonencode\\(${SP}${NAME}${SP}\\)${SP}$`);
const IF = new RegExp(`^${SP}if[ \\t]+${NAME}${SP}!=${SP}"([^"\\\\$%{}\\n]*)"${SP}$`);
const FOR = new RegExp(`^${SP}for[ \\t]+${NAME}${SP},${SP}${NAME}[ \\t]+in[ \\t]+${NAME}${SP}$`);
const END = new RegExp(`^${SP}(endif|endfor)${SP}$`);
const LANGUAGE =
  'the template language has ${NAME}, ${jsonencode(NAME)}, %{ if NAME != "TEXT" }, %{ endif }, ' +
  '%{ for KEY, VALUE in NAME }, %{ endfor }, and ~} ending a directive';

function position(text, offset) {
  const before = text.substring(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function fail(text, offset, message) {
  const { line, column } = position(text, offset);
  throw new TemplateError(message, line, column);
}

/** Parses a template into a tree of {kind: text|value|json|if|for}; throws TemplateError. */
function parse(text) {
  const root = [];
  const open = []; // the if and for nodes not closed yet, innermost last
  let literal = '';
  const target = () => (open.length ? open[open.length - 1].body : root);
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      fail(text, i, `the escape ${text.substr(i, 3)} is not in the template language`);
    }
    if (!text.startsWith('${', i) && !text.startsWith('%{', i)) {
      literal += text[i++];
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) fail(text, i, `${text.substr(i, 2)} is never closed by }`);
    if (literal) target().push({ kind: 'text', value: literal });
    literal = '';
    let body = text.substring(i + 2, close);
    const sequence = text.substring(i, close + 1);
    const at = position(text, i);
    if (body.startsWith('~') || (text[i] === '$' && body.endsWith('~'))) {
      fail(text, i, `the strip marker in ${sequence} is not in the template language; ${LANGUAGE}`);
    }
    let m;
    if (text[i] === '$') {
      if ((m = VALUE.exec(body))) target().push({ kind: 'value', name: m[1], at });
      else if ((m = JSON_OF.exec(body))) target().push({ kind: 'json', name: m[1], at });
      else fail(text, i, `unsupported interpolation ${sequence}; ${LANGUAGE}`);
      i = close + 1;
      continue;
    }
    const strip = body.endsWith('~');
    if (strip) body = body.substring(0, body.length - 1);
    if ((m = IF.exec(body))) {
      open.push({ kind: 'if', name: m[1], literal: m[2], at, body: [] });
    } else if ((m = FOR.exec(body))) {
      open.push({ kind: 'for', key: m[1], value: m[2], name: m[3], at, body: [] });
    } else if ((m = END.exec(body))) {
      const opener = m[1].substring(3);
      if (!open.length || open[open.length - 1].kind !== opener) {
        fail(text, i, `${sequence} has no %{ ${opener} } to close`);
      }
      const node = open.pop();
      target().push(node);
    } else {
      fail(text, i, `unsupported directive ${sequence}; ${LANGUAGE}`);
    }
    i = close + 1;
    // HCL cuts literal text after each newline; ~} trims only the piece after it.
    while (strip && i < text.length && isGoSpace(text[i])) {
      if (text[i++] === '\n') break;
    }
  }
  if (open.length) {
    const node = open[open.length - 1];
    throw new TemplateError(`%{ ${node.kind} } is never closed`, node.at.line, node.at.column);
  }
  if (literal) root.push({ kind: 'text', value: literal });
  return root;
}

/** The variables a template reads from its caller (loop variables excluded), sorted. */
function variables(text) {
  const names = new Set();
  const walk = (nodes, bound) => {
    for (const node of nodes) {
      if (node.kind !== 'text' && !bound.has(node.name)) names.add(node.name);
      if (node.kind === 'if') walk(node.body, bound);
      if (node.kind === 'for') walk(node.body, new Set([...bound, node.key, node.value]));
    }
  };
  walk(parse(text), new Set());
  return [...names].sort();
}

function typeOf(v) {
  if (v === null || v === undefined) return 'null';
  return Array.isArray(v) ? 'list' : typeof v === 'object' ? 'map' : typeof v;
}

function renderNodes(nodes, scope, out) {
  const lookup = (node) => {
    if (!Object.prototype.hasOwnProperty.call(scope, node.name)) {
      throw new TemplateError(`no variable "${node.name}" was given`, node.at.line, node.at.column);
    }
    return scope[node.name];
  };
  const at = (node, rule) => {
    try {
      return rule();
    } catch (e) {
      throw e instanceof TemplateError ? e : new TemplateError(e.message, node.at.line, node.at.column);
    }
  };
  for (const node of nodes) {
    if (node.kind === 'text') {
      out.push(node.value);
    } else if (node.kind === 'value') {
      const v = lookup(node);
      out.push(
        at(node, () => {
          if (typeof v === 'string') return normalize(v);
          if (typeof v === 'number') return formatNumber(v);
          if (typeof v === 'boolean') return String(v);
          if (typeOf(v) === 'null') throw new Error(`"${node.name}" is null: a template cannot include null`);
          throw new Error(`"${node.name}" is a ${typeOf(v)}: write \${jsonencode(${node.name})}`);
        }),
      );
    } else if (node.kind === 'json') {
      const v = lookup(node);
      out.push(at(node, () => jsonencode(v)));
    } else if (node.kind === 'if') {
      const v = lookup(node);
      if (typeof v !== 'string') throw new TemplateError(`%{ if ${node.name} != ... } needs a string`, node.at.line, node.at.column);
      if (at(node, () => normalize(v)) !== normalize(node.literal)) renderNodes(node.body, scope, out);
    } else {
      const map = lookup(node);
      if (typeOf(map) !== 'map') throw new TemplateError(`%{ for ... in ${node.name} } needs a map`, node.at.line, node.at.column);
      const keys = at(node, () => Object.keys(map).map((k) => [normalize(k), k])).sort((a, b) => compareKeys(a[0], b[0]));
      for (const [key, raw] of keys) {
        renderNodes(node.body, { ...scope, [node.key]: key, [node.value]: map[raw] }, out);
      }
    }
  }
}

/** Renders a template with the given variables, as Terraform's templatefile() does. */
function render(text, vars) {
  const out = [];
  renderNodes(parse(text), vars, out);
  return normalize(out.join(''));
}

module.exports = { parse, render, variables, TemplateError };

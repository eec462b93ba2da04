'use strict';
// Loading Terraform configuration with the real HCL2 parser (@cdktf/hcl2json: HashiCorp's Go HCL
// compiled to WebAssembly). parse() gives Terraform's JSON form of each file, in which every
// string is a template; getExpressionAst() parses one native expression. nativeSource() turns a
// JSON-form template string back into native syntax so the two meet.

const fs = require('node:fs');
const path = require('node:path');
const hcl2json = require('@cdktf/hcl2json');

const astCache = new Map();

/** The AST of one native-syntax expression (cached; the parser is comparatively slow). */
async function expressionAst(source) {
  if (!astCache.has(source)) {
    astCache.set(
      source,
      hcl2json.getExpressionAst('expression.tf', source).catch((e) => {
        throw new Error(`cannot parse expression ${JSON.stringify(source)}: ${e.message}`);
      }),
    );
  }
  return astCache.get(source);
}

/** Index just past the `}` closing the sequence whose body starts at `start` (after `${`). */
function sequenceEnd(text, start) {
  let depth = 1;
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = quotedEnd(text, i + 1);
      continue;
    }
    if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        return i + 1;
      }
    }
    i++;
  }
  throw new Error(`unterminated template sequence in ${JSON.stringify(text)}`);
}

/** Index just past the `"` closing a quoted string whose body starts at `start`. */
function quotedEnd(text, start) {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '"') {
      return i + 1;
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      if (text[i - 1] === c) {
        i += 2;
        continue;
      }
      i = sequenceEnd(text, i + 2);
      continue;
    }
    i++;
  }
  throw new Error(`unterminated string in ${JSON.stringify(text)}`);
}

/** A JSON-form template string as a native quoted-string expression. */
function nativeSource(template) {
  let out = '"';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      out += template.substr(i, 3);
      i += 3;
      continue;
    }
    if (template.startsWith('${', i) || template.startsWith('%{', i)) {
      const end = sequenceEnd(template, i + 2);
      out += template.substring(i, end);
      i = end;
      continue;
    }
    const c = template[i];
    if (c === '"' || c === '\\') {
      out += '\\' + c;
    } else if (c === '\n') {
      out += '\\n';
    } else if (c === '\r') {
      out += '\\r';
    } else if (c === '\t') {
      out += '\\t';
    } else {
      out += c;
    }
    i++;
  }
  return out + '"';
}

/**
 * Parses every .tf file of a directory (not recursive). Returns {files: [{file, text, json}],
 * errors: [message]}.
 */
async function loadDirectory(dir) {
  const files = [];
  const errors = [];
  const names = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.tf'))
    .sort();
  for (const name of names) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    try {
      const json = await hcl2json.parse(name, text);
      files.push({ file, text, json });
    } catch (e) {
      errors.push(`${file}: HCL syntax: ${e.message}`);
    }
  }
  return { files, errors };
}

/** Blocks of one kind across files: [{file, type, labels: [...], body}]. */
function blocks(files, kind) {
  const out = [];
  for (const f of files) {
    const top = f.json[kind];
    if (top === undefined) {
      continue;
    }
    collect(top, [], (labels, body) => out.push({ file: f.file, kind, labels, body }));
  }
  return out;
}

// hcl2json nests labelled blocks as objects keyed by label, ending in an array of bodies.
function collect(node, labels, emit) {
  if (Array.isArray(node)) {
    for (const body of node) {
      emit(labels, body);
    }
    return;
  }
  for (const [label, inner] of Object.entries(node)) {
    collect(inner, labels.concat([label]), emit);
  }
}

/** Walks a hcl2json value, calling visit(stringTemplate, pathOfKeys) for every string. */
function eachString(value, visit, where = []) {
  if (typeof value === 'string') {
    visit(value, where);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => eachString(v, visit, where.concat([i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      eachString(v, visit, where.concat([k]));
    }
  }
}

/** Calls visit(node) for every node of an AST, depth first. */
function walkAst(node, visit) {
  if (!node) {
    return;
  }
  visit(node);
  for (const child of node.children || []) {
    walkAst(child, visit);
  }
}

module.exports = {
  expressionAst,
  nativeSource,
  loadDirectory,
  blocks,
  eachString,
  walkAst,
};

'use strict';
// Evaluates Terraform expressions offline, over the ASTs of the real HCL parser, far enough to
// compute what a module passes to templatefile() for an example's inputs: variables (with type
// conversion and optional() defaults), locals, path.module, for expressions, conditionals and a
// set of built-in functions. Anything known only after apply (resource and data source
// attributes) is an Unknown, unless the caller supplies a value for it, as a plan would show it.
// An expression this evaluator does not implement is an error, never a guess.

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { expressionAst, nativeSource, decodeLiteral } = require('./hcl');
const { Unknown, normalize, compareKeys, formatNumber, jsonencode } = require('./values');
const { render: renderTemplate } = require('./template');

class EvalError extends Error {}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown);
const unknownIn = (values) => values.find((v) => v instanceof Unknown);

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (isObject(v)) return 'map';
  return typeof v;
}

function toStringValue(v, what) {
  if (typeof v === 'string') return normalize(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  throw new EvalError(`${what}: a ${typeName(v)} cannot be used as a string`);
}

function toNumberValue(v, what) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(v)) return Number(v);
  throw new EvalError(`${what}: ${JSON.stringify(v)} is not a number`);
}

function toBoolValue(v, what) {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new EvalError(`${what}: ${JSON.stringify(v)} is not a bool`);
}

function entries(collection, what) {
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  if (isObject(collection)) {
    return Object.keys(collection)
      .sort(compareKeys)
      .map((k) => [k, collection[k]]);
  }
  throw new EvalError(`${what}: cannot iterate over a ${typeName(collection)}`);
}

// ---- IPv4 helpers for cidrhost / cidrsubnet ----
function parseCidr(prefix) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix);
  if (!m) throw new EvalError(`"${prefix}" is not an IPv4 CIDR`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) throw new EvalError(`"${prefix}" is not an IPv4 CIDR`);
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { network: address - (address % size), bits, size };
}

function formatIp(n) {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function rfc3339(v) {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
}

const FUNCTIONS = {
  abs: ([n]) => Math.abs(toNumberValue(n, 'abs')),
  alltrue: ([l]) => l.every((v) => toBoolValue(v, 'alltrue')),
  anytrue: ([l]) => l.some((v) => toBoolValue(v, 'anytrue')),
  // The bytes may differ from Terraform's gzip stream; the check only uses the length (preconditions).
  base64gzip: ([s]) => zlib.gzipSync(Buffer.from(toStringValue(s, 'base64gzip'), 'utf8'), { level: 9 }).toString('base64'),
  base64encode: ([s]) => Buffer.from(toStringValue(s, 'base64encode'), 'utf8').toString('base64'),
  cidrhost: ([prefix, host]) => {
    const { network, size } = parseCidr(prefix);
    const n = toNumberValue(host, 'cidrhost');
    const offset = n < 0 ? size + n : n;
    if (offset < 0 || offset >= size) throw new EvalError(`cidrhost: host ${n} is outside ${prefix}`);
    return formatIp(network + offset);
  },
  cidrsubnet: ([prefix, newbits, netnum]) => {
    const { network, bits } = parseCidr(prefix);
    const nb = toNumberValue(newbits, 'cidrsubnet');
    if (bits + nb > 32) throw new EvalError(`cidrsubnet: ${prefix} has no /${bits + nb} subnets`);
    const size = 2 ** (32 - bits - nb);
    const num = toNumberValue(netnum, 'cidrsubnet');
    if (num < 0 || num >= 2 ** nb) throw new EvalError(`cidrsubnet: subnet ${num} does not exist`);
    return `${formatIp(network + num * size)}/${bits + nb}`;
  },
  coalesce: (args) => {
    const found = args.find((v) => v !== null && v !== '');
    if (found === undefined) throw new EvalError('coalesce: no non-null, non-empty argument');
    return found;
  },
  concat: (args) => [].concat(...args),
  contains: ([l, v]) => entries(l, 'contains').some(([, x]) => JSON.stringify(x) === JSON.stringify(v)),
  distinct: ([l]) => {
    const seen = new Set();
    return l.filter((v) => {
      const k = JSON.stringify(v);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  },
  endswith: ([s, suffix]) => toStringValue(s, 'endswith').endsWith(suffix),
  flatten: ([l]) => {
    const flat = (x) => (Array.isArray(x) ? x.flatMap(flat) : [x]);
    return flat(l);
  },
  floor: ([n]) => Math.floor(toNumberValue(n, 'floor')),
  formatdate: ([spec, ts]) => {
    if (!rfc3339(ts)) throw new EvalError(`formatdate: "${ts}" is not an RFC 3339 timestamp`);
    if (spec !== 'YYYY') throw new EvalError('formatdate: only the YYYY format is implemented');
    return ts.substring(0, 4);
  },
  join: ([sep, l]) => l.map((v) => toStringValue(v, 'join')).join(sep),
  jsonencode: ([v]) => jsonencode(v),
  keys: ([m]) => Object.keys(m).sort(compareKeys),
  length: ([v]) => {
    if (typeof v === 'string') return [...normalize(v)].length;
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    throw new EvalError(`length: a ${typeName(v)} has no length`);
  },
  lookup: ([m, k, d]) => (Object.prototype.hasOwnProperty.call(m, k) ? m[k] : d),
  lower: ([s]) => toStringValue(s, 'lower').toLowerCase(),
  max: (args) => Math.max(...args.map((n) => toNumberValue(n, 'max'))),
  merge: (args) => Object.assign({}, ...args.filter((a) => a !== null)),
  min: (args) => Math.min(...args.map((n) => toNumberValue(n, 'min'))),
  range: (args) => {
    const [start, end, step] = args.length === 1 ? [0, args[0], 1] : [args[0], args[1], args[2] ?? 1];
    const out = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  regex: ([pattern, s]) => {
    const m = new RegExp(pattern, 'u').exec(toStringValue(s, 'regex'));
    if (!m) throw new EvalError(`regex: no match for ${pattern}`);
    return m.length > 1 ? m.slice(1) : m[0];
  },
  replace: ([s, find, repl]) => toStringValue(s, 'replace').split(find).join(repl),
  setproduct: (lists) => lists.reduce((acc, l) => acc.flatMap((prefix) => l.map((v) => prefix.concat([v]))), [[]]),
  split: ([sep, s]) => toStringValue(s, 'split').split(sep),
  startswith: ([s, prefix]) => toStringValue(s, 'startswith').startsWith(prefix),
  substr: ([s, offset, length]) => {
    const chars = [...toStringValue(s, 'substr')];
    return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
  },
  textencodebase64: ([s, encoding]) => {
    const enc = { 'UTF-8': 'utf8', 'UTF-16LE': 'utf16le' }[encoding];
    if (!enc) throw new EvalError(`textencodebase64: encoding ${encoding} is not implemented`);
    return Buffer.from(toStringValue(s, 'textencodebase64'), enc).toString('base64');
  },
  tolist: ([l]) => l,
  tomap: ([m]) => m,
  tonumber: ([v]) => (v === null ? null : toNumberValue(v, 'tonumber')),
  toset: ([l]) => FUNCTIONS.distinct([l]),
  tostring: ([v]) => (v === null ? null : toStringValue(v, 'tostring')),
  trimspace: ([s]) => toStringValue(s, 'trimspace').trim(),
  upper: ([s]) => toStringValue(s, 'upper').toUpperCase(),
  values: ([m]) => Object.keys(m).sort(compareKeys).map((k) => m[k]),
};

/**
 * The evaluation context of one module instance.
 *
 * @param moduleDir the module's directory (path.module)
 * @param variables the input values after type conversion: {name: value}
 * @param locals the hcl2json values of the module's locals: {name: json}
 * @param known values of things known only after apply, by reference ("tls_private_key.ca.private_key_pem")
 * @param onTemplatefile called with {template, vars, rendered} for every templatefile() evaluated
 */
class Context {
  constructor({ moduleDir, variables, locals, known = {}, onTemplatefile = () => {} }) {
    this.moduleDir = moduleDir;
    this.variables = variables;
    this.localSources = locals;
    this.localValues = new Map();
    this.evaluating = new Set();
    this.known = known;
    this.onTemplatefile = onTemplatefile;
  }

  async local(name) {
    if (this.localValues.has(name)) return this.localValues.get(name);
    if (!Object.prototype.hasOwnProperty.call(this.localSources, name)) {
      throw new EvalError(`local.${name} is not declared`);
    }
    if (this.evaluating.has(name)) throw new EvalError(`local.${name} refers to itself`);
    this.evaluating.add(name);
    try {
      const value = await evalJson(this.localSources[name], this, {});
      this.localValues.set(name, value);
      return value;
    } catch (e) {
      throw new EvalError(`local.${name}: ${e.message}`);
    } finally {
      this.evaluating.delete(name);
    }
  }
}

/** Evaluates a value of Terraform's JSON form (strings are templates). */
async function evalJson(value, ctx, scope) {
  if (typeof value === 'string') {
    return evalSource(nativeSource(value), ctx, scope);
  }
  if (Array.isArray(value)) {
    const out = [];
    for (const v of value) out.push(await evalJson(v, ctx, scope));
    return out;
  }
  if (isObject(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evalJson(v, ctx, scope);
    return out;
  }
  return value;
}

async function evalSource(source, ctx, scope) {
  return evalAst(await expressionAst(source), ctx, scope);
}

function indexKey(segment) {
  if (/^[0-9]+$/.test(segment)) return Number(segment);
  if (segment.startsWith('"')) return decodeLiteral(segment.slice(1, -1));
  return { expression: segment };
}

async function applyTraversal(value, traversal, ctx, scope, what) {
  let current = value;
  for (const part of traversal) {
    if (current instanceof Unknown) return current;
    let key = part.type === 'nameTraversal' ? part.segment : indexKey(part.segment);
    if (isObject(key)) key = await evalSource(key.expression, ctx, scope);
    if (key instanceof Unknown) return key;
    if (current === null) throw new EvalError(`${what}: cannot read "${key}" of null`);
    if (Array.isArray(current)) {
      if (typeof key !== 'number' || key >= current.length) throw new EvalError(`${what}: no element ${key}`);
      current = current[key];
    } else if (isObject(current)) {
      if (!Object.prototype.hasOwnProperty.call(current, key)) {
        throw new EvalError(`${what}: no attribute or key "${key}"`);
      }
      current = current[key];
    } else {
      throw new EvalError(`${what}: a ${typeName(current)} has no "${key}"`);
    }
  }
  return current;
}

async function evalTraversal(node, ctx, scope) {
  const parts = node.meta.traversal;
  const root = parts[0].segment;
  const what = node.meta.fullAccessor;
  if (Object.prototype.hasOwnProperty.call(scope, root)) {
    return applyTraversal(scope[root], parts.slice(1), ctx, scope, what);
  }
  if (root === 'var') {
    const name = parts[1].segment;
    if (!Object.prototype.hasOwnProperty.call(ctx.variables, name)) {
      throw new EvalError(`var.${name} is not declared`);
    }
    return applyTraversal(ctx.variables[name], parts.slice(2), ctx, scope, what);
  }
  if (root === 'local') {
    return applyTraversal(await ctx.local(parts[1].segment), parts.slice(2), ctx, scope, what);
  }
  if (root === 'path' && parts[1] && ['module', 'root', 'cwd'].includes(parts[1].segment)) {
    return ctx.moduleDir;
  }
  if (Object.prototype.hasOwnProperty.call(ctx.known, what)) {
    return ctx.known[what];
  }
  return new Unknown(what);
}

async function evalAst(node, ctx, scope) {
  const children = node.children || [];
  switch (node.type) {
    case 'literalValue': {
      const { type, value } = node.meta;
      if (type === 'string') return decodeLiteral(value);
      if (type === 'number') return Number(value);
      if (type === 'bool') return value === 'true';
      return null;
    }
    case 'templateWrap':
      return evalAst(children[0], ctx, scope);
    case 'template': {
      const parts = [];
      for (const child of children) parts.push(await evalAst(child, ctx, scope));
      const unknown = unknownIn(parts);
      if (unknown) return unknown;
      return normalize(parts.map((p) => toStringValue(p, node.meta.value)).join(''));
    }
    case 'scopeTraversal':
      return evalTraversal(node, ctx, scope);
    case 'relativeTraversal': {
      const source = await evalAst(children[0], ctx, scope);
      return applyTraversal(source, node.meta.traversal, ctx, scope, node.meta.value);
    }
    case 'index': {
      const collection = await evalAst(children[0], ctx, scope);
      const key = await evalAst(children[1], ctx, scope);
      if (collection instanceof Unknown) return collection;
      if (key instanceof Unknown) return key;
      return applyTraversal(collection, [{ type: 'nameTraversal', segment: key }], ctx, scope, node.meta.value);
    }
    case 'tuple': {
      const out = [];
      for (const child of children) out.push(await evalAst(child, ctx, scope));
      return out;
    }
    case 'object': {
      const out = {};
      for (const [rawKey, source] of Object.entries(node.meta.items)) {
        let key = rawKey;
        if (rawKey.startsWith('"')) key = decodeLiteral(rawKey.slice(1, -1));
        else if (rawKey.startsWith('(')) key = await evalSource(rawKey, ctx, scope);
        if (key instanceof Unknown) return key;
        out[toStringValue(key, node.meta.value)] = await evalSource(source, ctx, scope);
      }
      return out;
    }
    case 'conditional': {
      const condition = await evalAst(children[0], ctx, scope);
      if (condition instanceof Unknown) return condition;
      return evalAst(toBoolValue(condition, node.meta.value) ? children[1] : children[2], ctx, scope);
    }
    case 'unaryOp': {
      const v = await evalAst(children[0], ctx, scope);
      if (v instanceof Unknown) return v;
      if (node.meta.operator === 'logicalNot') return !toBoolValue(v, node.meta.value);
      if (node.meta.operator === 'negate') return -toNumberValue(v, node.meta.value);
      throw new EvalError(`operator ${node.meta.operator} is not implemented`);
    }
    case 'binaryOp':
      return evalBinary(node, ctx, scope);
    case 'function':
      return evalFunction(node, ctx, scope);
    case 'for':
      return evalFor(node, ctx, scope);
    case 'splat': {
      const source = await evalAst(children[0], ctx, scope);
      if (source instanceof Unknown) return source;
      const list = source === null ? [] : Array.isArray(source) ? source : [source];
      const each = children[1];
      const out = [];
      for (const item of list) {
        out.push(each && each.type === 'relativeTraversal' ? await applyTraversal(item, each.meta.traversal, ctx, scope, node.meta.value) : item);
      }
      return out;
    }
    default:
      if (node.type === '' && children.length === 1) return evalAst(children[0], ctx, scope);
      throw new EvalError(`cannot evaluate ${node.type || 'this'} expression offline: ${node.meta && node.meta.value}`);
  }
}

async function evalBinary(node, ctx, scope) {
  const op = node.meta.operator;
  const what = node.meta.value;
  const [lhsNode, rhsNode] = node.children;
  const lhs = await evalAst(lhsNode, ctx, scope);
  const rhs = await evalAst(rhsNode, ctx, scope);
  const unknown = unknownIn([lhs, rhs]);
  if (unknown) return unknown;
  switch (op) {
    case 'equal':
      return JSON.stringify(lhs) === JSON.stringify(rhs);
    case 'notEqual':
      return JSON.stringify(lhs) !== JSON.stringify(rhs);
    case 'logicalAnd':
      return toBoolValue(lhs, what) && toBoolValue(rhs, what);
    case 'logicalOr':
      return toBoolValue(lhs, what) || toBoolValue(rhs, what);
    case 'add':
      return toNumberValue(lhs, what) + toNumberValue(rhs, what);
    case 'subtract':
      return toNumberValue(lhs, what) - toNumberValue(rhs, what);
    case 'multiply':
      return toNumberValue(lhs, what) * toNumberValue(rhs, what);
    case 'divide':
      return toNumberValue(lhs, what) / toNumberValue(rhs, what);
    case 'modulo':
      return toNumberValue(lhs, what) % toNumberValue(rhs, what);
    case 'greaterThan':
      return toNumberValue(lhs, what) > toNumberValue(rhs, what);
    case 'greaterThanOrEqual':
      return toNumberValue(lhs, what) >= toNumberValue(rhs, what);
    case 'lessThan':
      return toNumberValue(lhs, what) < toNumberValue(rhs, what);
    case 'lessThanOrEqual':
      return toNumberValue(lhs, what) <= toNumberValue(rhs, what);
    default:
      throw new EvalError(`operator ${op} is not implemented`);
  }
}

async function evalFunction(node, ctx, scope) {
  const name = node.meta.name;
  const argNodes = node.children;
  if (name === 'can' || name === 'try') {
    for (let i = 0; i < argNodes.length; i++) {
      try {
        const v = await evalAst(argNodes[i], ctx, scope);
        if (v instanceof Unknown) return v;
        return name === 'can' ? true : v;
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        if (name === 'can') return false;
      }
    }
    throw new EvalError(`try: no argument could be evaluated in ${node.meta.value}`);
  }
  const args = [];
  for (const argNode of argNodes) args.push(await evalAst(argNode, ctx, scope));
  if (node.meta.expandedFinalArgument) args.push(...args.pop());
  if (name === 'templatefile') return evalTemplatefile(node, args, ctx);
  if (name === 'file') {
    if (args[0] instanceof Unknown) return args[0];
    return fs.readFileSync(path.resolve(ctx.moduleDir, args[0]), 'utf8');
  }
  if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, name)) {
    throw new EvalError(`function ${name}() is not implemented by the offline evaluator`);
  }
  const unknown = unknownIn(args.flat(2));
  if (unknown) return unknown;
  try {
    return FUNCTIONS[name](args);
  } catch (e) {
    throw e instanceof EvalError ? e : new EvalError(`${name}(): ${e.message}`);
  }
}

function deepUnknown(v) {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) return v.map(deepUnknown).find(Boolean);
  if (isObject(v)) return Object.values(v).map(deepUnknown).find(Boolean);
  return undefined;
}

function evalTemplatefile(node, [file, vars], ctx) {
  if (file instanceof Unknown) throw new EvalError(`templatefile path is known only after apply: ${file}`);
  if (!isObject(vars)) throw new EvalError('templatefile: the second argument must be an object');
  for (const [k, v] of Object.entries(vars)) {
    const unknown = deepUnknown(v);
    if (unknown) {
      throw new EvalError(
        `templatefile variable ${k} is known only after apply (${unknown.reason}): give it a known value`,
      );
    }
  }
  const templatePath = path.resolve(ctx.moduleDir, file);
  const text = fs.readFileSync(templatePath, 'utf8');
  let rendered;
  try {
    rendered = renderTemplate(text, vars);
  } catch (e) {
    throw new EvalError(`templatefile ${file}: ${e.message}`);
  }
  ctx.onTemplatefile({ template: templatePath, vars, rendered, call: node.meta.value });
  return rendered;
}

async function evalFor(node, ctx, scope) {
  const m = node.meta;
  const collection = await evalSource(m.collectionExpression, ctx, scope);
  if (collection instanceof Unknown) return collection;
  const isMap = m.openRangeValue === '{';
  const out = isMap ? {} : [];
  for (const [k, v] of entries(collection, m.value)) {
    const inner = { ...scope };
    if (m.keyVar) inner[m.keyVar] = k;
    inner[m.valVar] = v;
    if (m.conditionalExpression) {
      const keep = await evalSource(m.conditionalExpression, ctx, inner);
      if (keep instanceof Unknown) return keep;
      if (!toBoolValue(keep, m.value)) continue;
    }
    const value = await evalSource(m.valueExpression, ctx, inner);
    if (isMap) {
      const key = await evalSource(m.keyExpression, ctx, inner);
      if (key instanceof Unknown) return key;
      const name = toStringValue(key, m.value);
      if (m.groupedValue) (out[name] = out[name] || []).push(value);
      else if (Object.prototype.hasOwnProperty.call(out, name)) throw new EvalError(`${m.value}: duplicate key "${name}"`);
      else out[name] = value;
    } else {
      out.push(value);
    }
  }
  return out;
}

// ---- type constraints ----

/** Parses a type constraint (hcl2json form, e.g. "${map(string)}") into a type descriptor. */
async function parseType(json) {
  const source = typeof json === 'string' && json.startsWith('${') ? json.slice(2, -1) : String(json);
  return typeFromAst(await expressionAst(source));
}

async function typeFromAst(node) {
  if (node.type === 'scopeTraversal') return { kind: node.meta.fullAccessor };
  if (node.type === 'function') {
    const name = node.meta.name;
    if (['list', 'set', 'map'].includes(name)) return { kind: name, element: await typeFromAst(node.children[0]) };
    if (name === 'optional') {
      const t = await typeFromAst(node.children[0]);
      return { ...t, optional: true, defaultAst: node.children[1] || null };
    }
    if (name === 'object') {
      const attributes = {};
      for (const [k, source] of Object.entries(node.children[0].meta.items)) {
        attributes[k] = await typeFromAst(await expressionAst(source));
      }
      return { kind: 'object', attributes };
    }
  }
  throw new EvalError(`type constraint ${node.meta && node.meta.value} is not implemented`);
}

/** Converts a value to a type as Terraform does for module variables (optional() defaults included). */
async function convert(value, type, what) {
  if (value instanceof Unknown || value === null) return value;
  switch (type.kind) {
    case 'any':
      return value;
    case 'string':
      return toStringValue(value, what);
    case 'number':
      return toNumberValue(value, what);
    case 'bool':
      return toBoolValue(value, what);
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) throw new EvalError(`${what}: a ${typeName(value)} is not a ${type.kind}`);
      const out = [];
      for (let i = 0; i < value.length; i++) out.push(await convert(value[i], type.element, `${what}[${i}]`));
      return out;
    }
    case 'map': {
      if (!isObject(value)) throw new EvalError(`${what}: a ${typeName(value)} is not a map`);
      const out = {};
      for (const [k, v] of Object.entries(value)) out[normalize(k)] = await convert(v, type.element, `${what}.${k}`);
      return out;
    }
    case 'object': {
      if (!isObject(value)) throw new EvalError(`${what}: a ${typeName(value)} is not an object`);
      const out = {};
      for (const [k, t] of Object.entries(type.attributes)) {
        if (Object.prototype.hasOwnProperty.call(value, k) && value[k] !== null) {
          out[k] = await convert(value[k], t, `${what}.${k}`);
        } else if (t.optional) {
          const fallback = t.defaultAst ? await evalAst(t.defaultAst, new Context({ moduleDir: '.', variables: {}, locals: {} }), {}) : null;
          out[k] = await convert(fallback, t, `${what}.${k}`);
        } else {
          throw new EvalError(`${what}: attribute "${k}" is required`);
        }
      }
      return out;
    }
    default:
      throw new EvalError(`${what}: type ${type.kind} is not implemented`);
  }
}

module.exports = { Context, EvalError, evalJson, evalSource, evalAst, parseType, convert, FUNCTIONS };

'use strict';
// Terraform's value semantics that rendering depends on, re-implemented from their definitions:
// cty normalizes every string to NFC; jsonencode is Go's encoding/json (HTML-safe escaping,
// \b and \f short escapes since Go 1.22); maps iterate in ascending byte order of their keys;
// numbers print in plain decimal; template strip markers trim Go unicode.IsSpace characters.

function normalize(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) {
        throw new Error('string holds a lone UTF-16 surrogate: not valid Unicode');
      }
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      throw new Error('string holds a lone UTF-16 surrogate: not valid Unicode');
    }
  }
  return s.normalize('NFC');
}

// Go's unicode.IsSpace.
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

function isGoSpace(ch) {
  return GO_SPACE.test(ch);
}

/** Go compares strings byte by byte (UTF-8); so does cty when it orders map keys. */
function compareKeys(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function formatNumber(n) {
  if (!Number.isFinite(n)) {
    throw new Error(`number ${n} has no Terraform representation`);
  }
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n)) {
      return BigInt(n).toString();
    }
    return String(n);
  }
  const text = String(n);
  if (/e/i.test(text)) {
    throw new Error(`number ${n} needs exponent-free formatting, which this check does not implement`);
  }
  return text;
}

const HEX = '0123456789abcdef';

function jsonString(s) {
  const value = normalize(s);
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0);
    if (ch === '"' || ch === '\\') {
      out += '\\' + ch;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (ch === '\b') {
      out += '\\b';
    } else if (ch === '\f') {
      out += '\\f';
    } else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&') {
      out += '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
    } else if (c === 0x2028 || c === 0x2029) {
      out += '\\u202' + HEX[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** Terraform's jsonencode(). */
function jsonencode(value) {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'string') {
    return jsonString(value);
  }
  if (typeof value === 'number') {
    return formatNumber(value);
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return '[' + value.map(jsonencode).join(',') + ']';
  }
  const keys = Object.keys(value).sort(compareKeys);
  return '{' + keys.map((k) => jsonString(k) + ':' + jsonencode(value[k])).join(',') + '}';
}

module.exports = { normalize, isGoSpace, compareKeys, formatNumber, jsonencode };

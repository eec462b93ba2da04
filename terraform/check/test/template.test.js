'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { render, variables, parse } = require('../src/template');

const golden = path.join(__dirname, 'golden');
const cases = JSON.parse(fs.readFileSync(path.join(golden, 'cases.json'), 'utf8'));
const terraform = JSON.parse(fs.readFileSync(path.join(golden, 'terraform-rendered.json'), 'utf8'));

test('every case has a rendering by real Terraform', () => {
  assert.deepEqual(Object.keys(terraform.cases).sort(), Object.keys(cases).sort());
});

for (const [name, c] of Object.entries(cases)) {
  test(`renders ${name} exactly as Terraform ${terraform.terraform_version} does`, () => {
    const file = path.join(golden, c.template);
    const text = fs.readFileSync(file, 'utf8');
    const expected = terraform.cases[name];
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    assert.equal(
      sha,
      expected.template_sha256,
      `${c.template} changed since Terraform rendered it: run test/golden/regenerate.sh (needs terraform >= 1.8)`,
    );
    assert.equal(render(text, c.vars), expected.text);
  });
}

test('variables are the names a template reads, loop variables excluded', () => {
  const text = '%{ for k, v in m }${k}${jsonencode(v)}${w}%{ endfor }%{ if b }${x}%{ endif }';
  assert.deepEqual(variables(text), ['b', 'm', 'w', 'x']);
});

test('a missing variable is an error, as in templatefile()', () => {
  assert.throws(() => render('${a}${b}', { a: 'x' }), /vars map does not contain key "b"/);
});

test('a collection cannot be interpolated without jsonencode', () => {
  assert.throws(() => render('${m}', { m: { a: 'b' } }), /use jsonencode\(m\)/);
});

const outsideTheSubset = {
  'function other than jsonencode': '${upper(a)}',
  'attribute access': '${a.b}',
  'arithmetic': '${a + 1}',
  'string literal interpolation': '${"x"}',
  'conditional expression': '${a ? "x" : "y"}',
  'for directive over an expression': '%{ for v in keys(m) }${v}%{ endfor }',
  'if with a function': '%{ if length(a) > 0 }x%{ endif }',
  'unterminated interpolation': 'x ${a',
  'unclosed if': '%{ if a }x',
  'stray endfor': 'x%{ endfor }',
  'else outside if': '%{ else }',
  'two elses': '%{ if a }x%{ else }y%{ else }z%{ endif }',
  'endif closing a for': '%{ for v in l }x%{ endif }',
  'uppercase variable': '${Name}',
  'object constructor': '${jsonencode({a = b})}',
};
for (const [what, text] of Object.entries(outsideTheSubset)) {
  test(`rejects ${what}`, () => {
    assert.throws(() => parse(text), /unsupported|never closed|without a matching|unterminated/);
  });
}

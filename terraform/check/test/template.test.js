'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { render, variables, parse, TemplateError } = require('../src/template');

const golden = path.join(__dirname, 'golden');
const cases = JSON.parse(fs.readFileSync(path.join(golden, 'cases.json'), 'utf8'));
const terraform = JSON.parse(fs.readFileSync(path.join(golden, 'terraform-rendered.json'), 'utf8'));
const plans = JSON.parse(fs.readFileSync(path.join(golden, 'example-plans.json'), 'utf8'));
const templatesDir = path.join(__dirname, '..', '..', 'templates');

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

// The examples as real Terraform planned them (test/golden/example-plans.json): the same bytes.
test('renders every templatefile() call of the examples exactly as Terraform did', () => {
  assert.ok(plans.calls.length >= 16, `${plans.calls.length} calls`);
  for (const c of plans.calls) {
    const text = fs.readFileSync(path.join(templatesDir, c.template), 'utf8');
    assert.equal(render(text, c.vars), c.rendered, `${c.example}: ${c.template}`);
  }
});

test('renders every construct of the language', () => {
  const text = 'p=${port} ${jsonencode(name)}\n%{ if zk != "" ~}\nzk\n%{ for id, a in servers ~}\n s.${id}=${a}\n%{ endfor ~}\n%{ endif ~}\nend';
  const servers = { 2: 'b', 1: 'a' };
  assert.equal(render(text, { port: 5050, name: 'a"<', zk: 'z', servers }), 'p=5050 "a\\"\\u003c"\nzk\n s.1=a\n s.2=b\nend');
  assert.equal(render(text, { port: 5050, name: 'n', zk: '', servers: {} }), 'p=5050 "n"\nend');
});

test('~} trims whitespace up to and including the first newline only', () => {
  assert.equal(render('a%{ if x != "" ~}  \t\n\n  b%{ endif ~}c', { x: 'y' }), 'a\n  bc');
  assert.equal(render('a%{ if x != "" }  \nb%{ endif }', { x: 'y' }), 'a  \nb');
});

test('maps iterate in code point order, as cty orders UTF-8 bytes', () => {
  const m = { '\u{1F600}': 'emoji', '\uFF5E': 'tilde', B: 'upper', a: 'lower' };
  assert.equal(render('%{ for k, v in m }${v} %{ endfor }', { m }), 'upper lower tilde emoji ');
});

test('variables are the names a template reads, loop variables excluded', () => {
  const text = '%{ if a != "" }%{ for k, v in m }${k}${jsonencode(v)}${w}%{ endfor }%{ endif }';
  assert.deepEqual(variables(text), ['a', 'm', 'w']);
});

test('rendering errors say what and where', () => {
  assert.throws(() => render('a\n  ${missing}', {}), { message: '2:3: no variable "missing" was given' });
  assert.throws(() => render('${m}', { m: { a: 'b' } }), { message: '1:1: "m" is a map: write ${jsonencode(m)}' });
  assert.throws(() => render('%{ if n != "" }x%{ endif }', { n: 1 }), { message: '1:1: %{ if n != ... } needs a string' });
  assert.throws(() => render('x%{ for k, v in s }x%{ endfor }', { s: 'str' }), { message: '1:2: %{ for ... in s } needs a map' });
  assert.throws(() => render('${jsonencode(s)}', { s: 'a\ud800b' }), /^Error: 1:1: string holds a lone UTF-16 surrogate/);
});

// The same list as the provisioner's TemplateTest: the two renderers refuse the same things.
const outsideTheLanguage = [
  ['an escaped interpolation', 'ab\n c $${x}', 2, 4, 'the escape $${'],
  ['an escaped directive', 'x %%{ if }', 1, 3, 'the escape %%{'],
  ['another function', 'a\n\n  ${upper(a)}', 3, 3, 'unsupported interpolation ${upper(a)}'],
  ['attribute access', '${a.b}', 1, 1, 'unsupported interpolation'],
  ['arithmetic', '${a + 1}', 1, 1, 'unsupported interpolation'],
  ['a string literal', '${"x"}', 1, 1, 'unsupported interpolation'],
  ['a strip marker before', 'x\n${~ a}', 2, 1, 'the strip marker in ${~ a}'],
  ['a strip marker after ${', '${a ~}', 1, 1, 'the strip marker in ${a ~}'],
  ['a directive stripping left', '%{~ if a != "" }x%{ endif }', 1, 1, 'the strip marker in %{~'],
  ['else', '%{ if a != "" }x%{ else }y%{ endif }', 1, 17, 'unsupported directive %{ else }'],
  ['equality', '%{ if a == "x" }y%{ endif }', 1, 1, 'unsupported directive %{ if a == "x" }'],
  ['a bool condition', '%{ if a }y%{ endif }', 1, 1, 'unsupported directive %{ if a }'],
  ['a for over a list', '%{ for v in l }y%{ endfor }', 1, 1, 'unsupported directive %{ for v in l }'],
  ['a for over an expression', '%{ for k, v in keys(m) }y%{ endfor }', 1, 1, 'unsupported directive'],
  ['an unclosed if', 'a\n  %{ if a != "" }x', 2, 3, '%{ if } is never closed'],
  ['a stray endfor', 'x%{ endfor }', 1, 2, '%{ endfor } has no %{ for } to close'],
  ['endif closing a for', '%{ for k, v in m }x%{ endif }', 1, 20, '%{ endif } has no %{ if } to close'],
  ['an unterminated sequence', 'x ${a', 1, 3, '${ is never closed by }'],
];
for (const [what, text, line, column, problem] of outsideTheLanguage) {
  test(`refuses ${what}, saying where`, () => {
    assert.throws(
      () => parse(text),
      (e) => e instanceof TemplateError && e.line === line && e.column === column && e.message.startsWith(`${line}:${column}: `) && e.message.includes(problem),
    );
  });
}

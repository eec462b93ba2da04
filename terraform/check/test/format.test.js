'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { checkFormat } = require('../src/format');

// bad-*.tf: terraform fmt would change them (fixtures/format/verify-with-terraform.sh shows it);
// policy-*.tf: stricter project rules; good-*.tf: canonical for terraform fmt and for the check.
const dir = path.join(__dirname, 'fixtures', 'format');
const fixtures = fs.readdirSync(dir).filter((n) => n.endsWith('.tf')).sort();

test('there are fixtures of every kind', () => {
  for (const kind of ['bad-', 'policy-', 'good-']) {
    assert.ok(fixtures.some((n) => n.startsWith(kind)), kind);
  }
});

for (const name of fixtures) {
  const text = fs.readFileSync(path.join(dir, name), 'utf8');
  if (name.startsWith('good-')) {
    test(`accepts ${name}`, () => {
      assert.deepEqual(checkFormat(text, name), []);
    });
  } else {
    const expect = /^# expect: (.*)$/m.exec(text)[1].replace(/\r$/, '');
    test(`rejects ${name} (${expect})`, () => {
      const errors = checkFormat(text, name);
      assert.ok(errors.length > 0, 'no violation found');
      assert.ok(errors.some((e) => e.includes(expect)), `expected "${expect}" in:\n${errors.join('\n')}`);
    });
  }
}

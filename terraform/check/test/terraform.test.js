'use strict';
// terraform fmt -check, real, where the binary is on the PATH.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { terraformBinary, checkFormat } = require('../src/terraform');

const binary = terraformBinary();

test('without terraform, the format check says it is skipped', () => {
  assert.match(checkFormat(os.tmpdir(), null).skipped, /no terraform binary on the PATH/);
});

test('terraform fmt -check names the files it would change, recursively', binary ? {} : { skip: 'no terraform binary on the PATH' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-fmt-'));
  try {
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'good.tf'), 'locals {\n  a   = 1\n  bcd = 2\n}\n');
    fs.writeFileSync(path.join(dir, 'nested', 'bad.tf'), 'locals {\n  a = 1\n  bcd = 2\n}\n');
    assert.deepEqual(checkFormat(dir, binary).errors, [`${path.join(dir, 'nested', 'bad.tf')}: not formatted as terraform fmt writes it`]);
    fs.writeFileSync(path.join(dir, 'nested', 'bad.tf'), 'locals {\n  a   = 1\n  bcd = 2\n}\n');
    assert.deepEqual(checkFormat(dir, binary).errors, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

#!/usr/bin/env node
'use strict';
// strata-terraform-check: the offline checks of terraform/ (see ../README.md).
//
//   node src/cli.js check TERRAFORM_DIR              every rule; exit 1 with the list of violations
//   node src/cli.js plan-examples TERRAFORM_DIR OUT  writes each example's templatefile() calls
//                                                     (variables and rendering) as JSON to OUT

const fs = require('node:fs');
const path = require('node:path');
const { loadDirectory } = require('./hcl');
const rules = require('./rules');
const { templateRules, readContract } = require('./templates');
const { checkFormat } = require('./format');
const { planExample } = require('./examples');
const { Unknown } = require('./values');

const SKIP = new Set(['templates', 'check', 'node_modules', 'target', 'src', '.terraform', 'fixtures']);

function modulesOf(terraformDir) {
  return fs
    .readdirSync(terraformDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !SKIP.has(d.name))
    .map((d) => path.join(terraformDir, d.name))
    .filter((dir) => fs.existsSync(path.join(dir, 'versions.tf')))
    .sort();
}

function examplesOf(moduleDir) {
  const root = path.join(moduleDir, 'examples');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
}

function tfFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) && entry.name !== 'check') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tfFiles(full));
    else if (entry.name.endsWith('.tf')) out.push(full);
  }
  return out.sort();
}

function known(terraformDir) {
  return JSON.parse(fs.readFileSync(path.join(terraformDir, 'check', 'fixtures', 'known-after-apply.json'), 'utf8'));
}

async function check(terraformDir) {
  const templatesDir = path.join(terraformDir, 'templates');
  const contract = readContract(templatesDir);
  const errors = [];
  const passed = [];
  const run = async (name, fn) => {
    const found = await fn();
    errors.push(...found);
    if (found.length === 0) passed.push(name);
  };
  await run('templates: subset syntax, ASCII, variables.json, HCL cross-check', () => templateRules(templatesDir));
  for (const file of tfFiles(terraformDir)) {
    await run(`format ${path.relative(terraformDir, file)}`, () => checkFormat(fs.readFileSync(file, 'utf8'), file));
  }
  const modules = modulesOf(terraformDir);
  if (modules.length === 0) errors.push(`${terraformDir}: no modules found`);
  for (const moduleDir of modules) {
    const rel = path.relative(terraformDir, moduleDir);
    const loaded = await loadDirectory(moduleDir);
    await run(`${rel}: HCL syntax`, () => loaded.errors);
    const files = loaded.files;
    await run(`${rel}: layout`, () => rules.layoutRules(moduleDir));
    await run(`${rel}: variables have type, description, sensitivity`, () => rules.variableRules(files));
    await run(`${rel}: var/local references declared and used`, () => rules.referenceRules(files));
    await run(`${rel}: outputs described, no secrets`, () => rules.outputRules(files));
    await run(`${rel}: versions pinned, no provider blocks`, () => rules.versionRules(files, { isModule: true }));
    await run(`${rel}: README tables`, () => rules.readmeRules(moduleDir, files));
    await run(`${rel}: templatefile() calls`, async () => {
      const result = await rules.templatefileRules(moduleDir, files, templatesDir, contract);
      const missing = Object.keys(contract).filter((t) => !files.some((f) => f.text.includes(`/templates/${t}`)));
      return result.errors.concat(missing.map((t) => `${rel}: never renders ${t}`));
    });
    const examples = examplesOf(moduleDir);
    for (const exampleDir of examples) {
      const erel = path.relative(terraformDir, exampleDir);
      const example = await loadDirectory(exampleDir);
      await run(`${erel}: HCL syntax`, () => example.errors);
      await run(`${erel}: var references, outputs, versions`, async () =>
        (await rules.referenceRules(example.files))
          .concat(rules.variableRules(example.files))
          .concat(await rules.outputRules(example.files))
          .concat(rules.versionRules(example.files, { isModule: false })),
      );
      await run(`${erel}: offline plan (inputs, validations, locals, preconditions)`, async () => {
        const plan = await planExample(exampleDir, known(terraformDir));
        const rendered = new Set(plan.calls.map((c) => path.basename(c.template)));
        const missing = Object.keys(contract).filter((t) => !rendered.has(t));
        return plan.errors.concat(missing.map((t) => `${erel}: the example never renders ${t}`));
      });
    }
  }
  for (const p of passed) console.log(`ok   ${p}`);
  for (const e of errors) console.log(`FAIL ${e}`);
  console.log(`terraform check: ${passed.length} passed, ${errors.length} failed`);
  return errors.length === 0;
}

// Values known only after apply have no JSON form: they become null.
function jsonSafe(value) {
  return JSON.parse(JSON.stringify(value, (k, v) => (v instanceof Unknown ? null : v)));
}

async function planExamples(terraformDir, out) {
  const result = [];
  const errors = [];
  for (const moduleDir of modulesOf(terraformDir)) {
    for (const exampleDir of examplesOf(moduleDir)) {
      const plan = await planExample(exampleDir, known(terraformDir));
      errors.push(...plan.errors);
      for (const c of plan.calls) {
        result.push({
          inputs: jsonSafe(plan.inputs[c.module]),
          example: path.relative(terraformDir, exampleDir),
          module: path.relative(terraformDir, c.module),
          template: path.basename(c.template),
          vars: c.vars,
          rendered: c.rendered,
        });
      }
    }
  }
  if (errors.length > 0) {
    for (const e of errors) console.error(`FAIL ${e}`);
    return false;
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${result.length} templatefile() calls of the examples to ${out}`);
  return true;
}

async function main(argv) {
  const [command, dir, out] = argv;
  if (command === 'check' && dir) return check(path.resolve(dir));
  if (command === 'plan-examples' && dir && out) return planExamples(path.resolve(dir), path.resolve(out));
  console.error('usage: cli.js check TERRAFORM_DIR | plan-examples TERRAFORM_DIR OUT.json');
  process.exitCode = 2;
  return true;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (ok) => {
      if (!ok) process.exitCode = 1;
    },
    (e) => {
      console.error(e.stack || String(e));
      process.exitCode = 2;
    },
  );
}

module.exports = { check, planExamples, modulesOf };

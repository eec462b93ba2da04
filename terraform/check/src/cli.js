#!/usr/bin/env node
'use strict';
// strata-terraform-check: the offline checks of terraform/ (see ../README.md).
//
//   node src/cli.js check TERRAFORM_DIR              every rule; exit 1 with the list of violations
//   node src/cli.js plan-examples TERRAFORM_DIR OUT  plans the examples with terraform (needed) and
//                                                     writes their templatefile() calls to OUT

const fs = require('node:fs');
const path = require('node:path');
const { loadDirectory } = require('./hcl');
const rules = require('./rules');
const { templateRules, readContract } = require('./templates');
const { terraformBinary, runTerraform, checkFormat } = require('./terraform');
const { sources, planExamples } = require('./plan');

const SKIP = new Set(['templates', 'check', 'node_modules', 'target', 'src', '.terraform', 'fixtures']);
const PLANS = path.join('check', 'test', 'golden', 'example-plans.json');

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

function allExamples(terraformDir) {
  return modulesOf(terraformDir).flatMap(examplesOf);
}

function fixtures(terraformDir) {
  const read = (name) => JSON.parse(fs.readFileSync(path.join(terraformDir, 'check', 'fixtures', name), 'utf8'));
  return { known: read('known-after-apply.json'), values: read('example-variables.json') };
}

/** The examples' plans by Terraform, as committed: are they for the configuration of today? */
async function planRules(terraformDir, binary) {
  const file = path.join(terraformDir, PLANS);
  const fix = fixtures(terraformDir);
  const examples = allExamples(terraformDir);
  const committed = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
  const stale = `${file} is not Terraform's plan of today's modules and examples: run check/test/golden/regenerate.sh (needs terraform)`;
  if (!binary) {
    const src = await sources(terraformDir, examples, fix);
    if (src.errors.length > 0) return src.errors;
    return committed && committed.sources_sha256 === src.sha256 ? [] : [stale];
  }
  const plan = await planExamples(binary, terraformDir, examples, fix);
  if (plan.errors.length > 0) return plan.errors;
  const same = committed && committed.sources_sha256 === plan.sha256 && JSON.stringify(committed.calls) === JSON.stringify(plan.calls);
  return same ? [] : [stale];
}

async function check(terraformDir) {
  const templatesDir = path.join(terraformDir, 'templates');
  const contract = readContract(templatesDir);
  const binary = terraformBinary();
  const errors = [];
  const passed = [];
  const skipped = [];
  const run = async (name, fn) => {
    const found = await fn();
    errors.push(...found);
    if (found.length === 0) passed.push(name);
  };
  await run('templates: the template language, ASCII, variables.json, HCL cross-check', () => templateRules(templatesDir));
  const format = checkFormat(terraformDir, binary);
  if (format.skipped) skipped.push(format.skipped);
  else await run('terraform fmt -check -recursive', () => format.errors);
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
    for (const exampleDir of examplesOf(moduleDir)) {
      const erel = path.relative(terraformDir, exampleDir);
      const example = await loadDirectory(exampleDir);
      await run(`${erel}: HCL syntax`, () => example.errors);
      await run(`${erel}: var references, outputs, versions`, async () =>
        (await rules.referenceRules(example.files))
          .concat(rules.variableRules(example.files))
          .concat(await rules.outputRules(example.files))
          .concat(rules.versionRules(example.files, { isModule: false })),
      );
    }
  }
  await run(
    binary ? 'examples planned by terraform: validations hold, plans as committed' : 'examples: the committed plans by terraform are current',
    () => planRules(terraformDir, binary),
  );
  for (const p of passed) console.log(`ok   ${p}`);
  for (const s of skipped) console.log(`skip ${s}`);
  for (const e of errors) console.log(`FAIL ${e}`);
  console.log(`terraform check: ${passed.length} passed, ${skipped.length} skipped, ${errors.length} failed`);
  return errors.length === 0;
}

async function writePlans(terraformDir, out) {
  const binary = terraformBinary();
  if (!binary) {
    console.error('plan-examples needs a terraform binary on the PATH');
    return false;
  }
  const plan = await planExamples(binary, terraformDir, allExamples(terraformDir), fixtures(terraformDir));
  if (plan.errors.length > 0) {
    for (const e of plan.errors) console.error(`FAIL ${e}`);
    return false;
  }
  const version = JSON.parse(runTerraform(binary, ['version', '-json']).stdout).terraform_version;
  const result = { terraform_version: version, sources_sha256: plan.sha256, calls: plan.calls };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${plan.calls.length} templatefile() calls of the examples to ${out} (Terraform ${version})`);
  return true;
}

async function main(argv) {
  const [command, dir, out] = argv;
  if (command === 'check' && dir) return check(path.resolve(dir));
  if (command === 'plan-examples' && dir && out) return writePlans(path.resolve(dir), path.resolve(out));
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

module.exports = { check, modulesOf, examplesOf, allExamples, fixtures };

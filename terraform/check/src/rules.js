'use strict';
// The static rules every module (and example) must pass. Each rule returns error messages that
// name the file and the thing at fault; an empty list means the rule holds.

const fs = require('node:fs');
const path = require('node:path');
const { blocks, eachString, expressionAst, nativeSource, walkAst } = require('./hcl');
const template = require('./template');

// Variables whose names say they hold a secret.
const SECRET_NAME = /(^|_)(token|password|secret|private_key|key_pem|credentials?)$/;

/** Every expression of a body as {source, where}, with its AST. */
async function expressions(files) {
  const out = [];
  for (const f of files) {
    const pending = [];
    eachString(f.json, (value, where) => pending.push({ value, where }));
    for (const { value, where } of pending) {
      // Type constraints are not expressions with references.
      if (where[0] === 'variable' && where[where.length - 1] === 'type') continue;
      const ast = await expressionAst(nativeSource(value));
      out.push({ file: f.file, where, ast });
    }
  }
  return out;
}

function traversals(ast) {
  const found = [];
  walkAst(ast, (node) => {
    if (node.type === 'scopeTraversal' || node.type === 'relativeTraversal') {
      found.push(node.meta.traversal.map((t) => t.segment));
    }
  });
  return found;
}

/** var.x used ⇔ declared; local.x used ⇔ declared. Uses inside a variable's own block don't count. */
async function referenceRules(files) {
  const errors = [];
  const declaredVars = new Map(blocks(files, 'variable').map((v) => [v.labels[0], v]));
  const declaredLocals = new Map();
  for (const f of files) {
    for (const body of f.json.locals || []) {
      for (const name of Object.keys(body)) {
        if (declaredLocals.has(name)) errors.push(`${f.file}: local.${name} is declared twice`);
        declaredLocals.set(name, f.file);
      }
    }
  }
  const usedVars = new Set();
  const usedLocals = new Set();
  for (const e of await expressions(files)) {
    const ownVariable = e.where[0] === 'variable' ? e.where[1] : null;
    for (const t of traversals(e.ast)) {
      if (t[0] === 'var' && t.length > 1) {
        if (!declaredVars.has(t[1])) errors.push(`${e.file}: var.${t[1]} is used but not declared`);
        if (t[1] !== ownVariable) usedVars.add(t[1]);
      } else if (t[0] === 'local' && t.length > 1) {
        if (!declaredLocals.has(t[1])) errors.push(`${e.file}: local.${t[1]} is used but not declared`);
        usedLocals.add(t[1]);
      }
    }
  }
  for (const [name, v] of declaredVars) {
    if (!usedVars.has(name)) errors.push(`${v.file}: variable "${name}" is declared but never used`);
  }
  for (const [name, file] of declaredLocals) {
    if (!usedLocals.has(name)) errors.push(`${file}: local.${name} is declared but never used`);
  }
  return [...new Set(errors)];
}

/** Type, description, validation shape, sensitivity of every variable. */
function variableRules(files) {
  const errors = [];
  for (const v of blocks(files, 'variable')) {
    const name = v.labels[0];
    const at = `${v.file}: variable "${name}"`;
    if (v.body.type === undefined) errors.push(`${at} has no type`);
    if (typeof v.body.description !== 'string' || v.body.description.trim().length < 10) {
      errors.push(`${at} has no description`);
    }
    for (const validation of v.body.validation || []) {
      if (validation.condition === undefined || typeof validation.error_message !== 'string' || validation.error_message.trim() === '') {
        errors.push(`${at}: every validation needs a condition and an error_message`);
      }
    }
    if (SECRET_NAME.test(name) && v.body.sensitive !== true) {
      errors.push(`${at} holds a secret: mark it sensitive = true`);
    }
  }
  return errors;
}

/** Names of locals whose value derives from a sensitive variable (directly or through locals). */
async function secretLocals(files) {
  const sensitiveVars = new Set(blocks(files, 'variable').filter((v) => v.body.sensitive === true).map((v) => v.labels[0]));
  const localRefs = new Map();
  for (const f of files) {
    for (const body of f.json.locals || []) {
      for (const [name, value] of Object.entries(body)) {
        const refs = [];
        const pending = [];
        eachString(value, (s) => pending.push(s));
        for (const s of pending) refs.push(...traversals(await expressionAst(nativeSource(s))));
        localRefs.set(name, refs);
      }
    }
  }
  const tainted = new Set();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, refs] of localRefs) {
      if (tainted.has(name)) continue;
      if (refs.some((t) => (t[0] === 'var' && sensitiveVars.has(t[1])) || (t[0] === 'local' && tainted.has(t[1])))) {
        tainted.add(name);
        changed = true;
      }
    }
  }
  return { sensitiveVars, tainted };
}

/** Every output has a description, is not marked sensitive, and derives from no secret. */
async function outputRules(files) {
  const errors = [];
  const { sensitiveVars, tainted } = await secretLocals(files);
  for (const o of blocks(files, 'output')) {
    const at = `${o.file}: output "${o.labels[0]}"`;
    if (typeof o.body.description !== 'string' || o.body.description.trim().length < 10) {
      errors.push(`${at} has no description`);
    }
    if (o.body.sensitive === true) errors.push(`${at} is sensitive: outputs carry no secrets`);
    const pending = [];
    eachString(o.body.value, (s) => pending.push(s));
    for (const s of pending) {
      for (const t of traversals(await expressionAst(nativeSource(s)))) {
        if (t[0] === 'var' && sensitiveVars.has(t[1])) errors.push(`${at} exposes the sensitive var.${t[1]}`);
        if (t[0] === 'local' && tainted.has(t[1])) errors.push(`${at} exposes local.${t[1]}, derived from a sensitive variable`);
      }
    }
  }
  return errors;
}

/** terraform { required_version, required_providers with source and a bounded version }. */
function versionRules(files, { isModule }) {
  const errors = [];
  const terraformBlocks = files.flatMap((f) => (f.json.terraform || []).map((body) => ({ file: f.file, body })));
  if (terraformBlocks.length === 0) return [`${path.dirname(files[0].file)}: no terraform block (versions.tf)`];
  const at = terraformBlocks[0].file;
  if (!terraformBlocks.some((t) => typeof t.body.required_version === 'string')) {
    errors.push(`${at}: terraform.required_version is missing`);
  }
  const providers = {};
  for (const t of terraformBlocks) {
    for (const rp of t.body.required_providers || []) Object.assign(providers, rp);
  }
  const used = new Set();
  for (const kind of ['resource', 'data']) {
    for (const b of blocks(files, kind)) used.add(b.labels[0].split('_')[0]);
  }
  for (const name of used) {
    if (!providers[name]) errors.push(`${at}: provider ${name} is used but not in required_providers`);
  }
  for (const [name, p] of Object.entries(providers)) {
    if (typeof p !== 'object' || typeof p.source !== 'string') {
      errors.push(`${at}: required_providers.${name} needs a source`);
      continue;
    }
    const version = typeof p.version === 'string' ? p.version : '';
    if (!/(~>|<|^\s*=?\s*\d+\.\d+\.\d+\s*$)/.test(version)) {
      errors.push(`${at}: required_providers.${name} must pin its version with an upper bound (~> or <), was "${version}"`);
    }
  }
  if (isModule) {
    for (const f of files) {
      if (f.json.provider) errors.push(`${f.file}: a reusable module must not configure providers (the caller does)`);
    }
  }
  return errors;
}

/** The standard layout of a module. */
function layoutRules(dir) {
  const errors = [];
  for (const name of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md']) {
    if (!fs.existsSync(path.join(dir, name))) errors.push(`${dir}: ${name} is missing`);
  }
  const examples = path.join(dir, 'examples');
  if (!fs.existsSync(examples) || fs.readdirSync(examples).length === 0) errors.push(`${dir}: examples/ is missing`);
  return errors;
}

/** The module README documents every variable and output in a table row. */
function readmeRules(dir, files) {
  const readme = path.join(dir, 'README.md');
  if (!fs.existsSync(readme)) return [];
  const text = fs.readFileSync(readme, 'utf8');
  const errors = [];
  const rows = (name) => text.split('\n').filter((l) => l.startsWith('|') && l.includes(`\`${name}\``));
  for (const v of blocks(files, 'variable')) {
    const count = rows(v.labels[0]).length;
    if (count < 2) errors.push(`${readme}: variable ${v.labels[0]} needs a row in the inputs table and in the spec mapping table`);
  }
  for (const o of blocks(files, 'output')) {
    if (rows(o.labels[0]).length < 1) errors.push(`${readme}: output ${o.labels[0]} needs a row in the outputs table`);
  }
  return errors;
}

/** Every templatefile() call: path exists, is a shared template, and passes exactly its variables. */
async function templatefileRules(moduleDir, files, templatesDir, contract) {
  const errors = [];
  let calls = 0;
  for (const e of await expressions(files)) {
    const found = [];
    walkAst(e.ast, (node) => {
      if (node.type === 'function' && node.meta.name === 'templatefile') found.push(node);
    });
    for (const call of found) {
      calls++;
      const at = `${e.file}: ${call.meta.value.split('\n')[0]}`;
      if (call.children.length !== 2) {
        errors.push(`${at}: templatefile takes a path and a vars object`);
        continue;
      }
      const file = /^"\$\{path\.module\}(\/[^"$%\\]+)"$/.exec(call.children[0].meta.value || '');
      if (!file) {
        errors.push(`${at}: the template path must be a constant under path.module: "\${path.module}/../templates/NAME"`);
        continue;
      }
      const resolved = path.join(moduleDir, file[1]);
      if (!fs.existsSync(resolved)) {
        errors.push(`${at}: ${resolved} does not exist`);
        continue;
      }
      if (path.dirname(resolved) !== path.resolve(templatesDir)) {
        errors.push(`${at}: templates must come from the one shared copy in ${templatesDir}`);
        continue;
      }
      const name = path.basename(resolved);
      const vars = call.children[1];
      if (vars.type !== 'object') {
        errors.push(`${at}: pass the variables as an object literal, so they can be checked`);
        continue;
      }
      const passed = Object.keys(vars.meta.items).map((k) => k.replace(/^"|"$/g, '')).sort();
      let used;
      try {
        used = template.variables(fs.readFileSync(resolved, 'utf8'));
      } catch (err) {
        errors.push(`${resolved}: ${err.message}`);
        continue;
      }
      const listed = (contract[name] || []).map((v) => v.name).sort();
      if (!contract[name]) errors.push(`${at}: ${name} is not in variables.json`);
      if (JSON.stringify(passed) !== JSON.stringify(used)) {
        errors.push(`${at}: passes [${passed}] but ${name} uses [${used}]`);
      }
      if (contract[name] && JSON.stringify(passed) !== JSON.stringify(listed)) {
        errors.push(`${at}: passes [${passed}] but variables.json lists [${listed}] for ${name}`);
      }
    }
  }
  return { errors, calls };
}

module.exports = {
  referenceRules,
  variableRules,
  outputRules,
  versionRules,
  layoutRules,
  readmeRules,
  templatefileRules,
  secretLocals,
};

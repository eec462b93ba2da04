'use strict';
// The examples, planned by real Terraform, offline. A module's resources need providers, which
// cannot be downloaded; what the checks need from an example does not: the variables' validations
// and every templatefile() call (its variables and its rendering). So each module is cut down to
// its variables.tf and the locals its templatefile() calls depend on, each call rewritten to return
// {template, vars, rendered}; each example to its variables and module calls, with the values known
// only after apply (the CA, the tokens) taken from fixtures/known-after-apply.json. terraform apply
// then evaluates them with no provider at all. Without terraform, sources() still builds the cut-down
// configuration, whose hash says whether the committed plans (test/golden/example-plans.json) are
// current.

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadDirectory, blocks, eachString, expressionAst, nativeSource, walkAst } = require('./hcl');
const { runTerraform } = require('./terraform');

const CALLS = 'strata_templatefile_calls';
const INPUTS = 'strata_inputs';
const META_ARGUMENTS = new Set(['providers', 'depends_on', 'count', 'for_each', 'version']);

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function mapStrings(value, fn) {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

async function templatefileCalls(s) {
  const source = nativeSource(s);
  const found = [];
  walkAst(await expressionAst(source), (node) => {
    if (node.type === 'function' && node.meta.name === 'templatefile') found.push(node);
  });
  const bytes = Buffer.from(source, 'utf8');
  return found.map((node) => ({
    text: node.meta.value,
    args: node.meta.argsRanges.map((r) => bytes.subarray(r.start.byte, r.end.byte).toString('utf8')),
  }));
}

async function localRefs(value) {
  const refs = new Set();
  const strings = [];
  eachString(value, (s) => strings.push(s));
  for (const s of strings) {
    walkAst(await expressionAst(nativeSource(s)), (node) => {
      const t = node.type === 'scopeTraversal' && node.meta.traversal;
      if (t && t[0].segment === 'local' && t[1]) refs.add(t[1].segment);
    });
  }
  return refs;
}

/** The cut-down module: {files: {name: text}, errors}. */
async function moduleSources(moduleDir) {
  const loaded = await loadDirectory(moduleDir);
  const errors = [...loaded.errors];
  const variablesFile = loaded.files.find((f) => path.basename(f.file) === 'variables.tf');
  if (!variablesFile || Object.keys(variablesFile.json).some((k) => k !== 'variable')) {
    errors.push(`${moduleDir}/variables.tf must exist and hold only variable blocks`);
    return { files: {}, errors };
  }
  const locals = {};
  for (const f of loaded.files) for (const body of f.json.locals || []) Object.assign(locals, body);
  const seeds = {};
  for (const [name, value] of Object.entries(locals)) {
    let calls = 0;
    const rewritten = {};
    const strings = [];
    eachString(value, (s) => strings.push(s));
    for (const s of strings) {
      let out = s;
      for (const call of await templatefileCalls(s)) {
        calls++;
        if (call.args.length !== 2) errors.push(`${moduleDir}: local.${name}: templatefile takes a path and a vars object`);
        const [file, vars] = call.args;
        out = out.split(call.text).join(`{ template = ${file}, vars = ${vars}, rendered = templatefile(${file}, ${vars}) }`);
      }
      rewritten[s] = out;
    }
    if (calls > 0) seeds[name] = mapStrings(value, (s) => rewritten[s]);
  }
  const kept = { ...seeds };
  const pending = Object.keys(seeds);
  while (pending.length > 0) {
    for (const ref of await localRefs(kept[pending.pop()])) {
      if (kept[ref] !== undefined) continue;
      if (locals[ref] === undefined) {
        errors.push(`${moduleDir}: local.${ref} is not declared`);
        continue;
      }
      kept[ref] = locals[ref];
      pending.push(ref);
    }
  }
  const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  const variables = blocks(loaded.files, 'variable').map((v) => v.labels[0]).sort();
  const outputs = {
    output: {
      [CALLS]: { value: `\${{ ${Object.keys(seeds).sort().map((n) => `${n} = local.${n}`).join(', ')} }}`, sensitive: true },
      [INPUTS]: { value: `\${{ ${variables.map((n) => `${n} = var.${n}`).join(', ')} }}`, sensitive: true },
    },
  };
  return {
    errors,
    files: {
      'variables.tf': variablesFile.text,
      'locals.tf.json': JSON.stringify({ locals: sorted(kept) }, null, 2) + '\n',
      'outputs.tf.json': JSON.stringify(outputs, null, 2) + '\n',
    },
  };
}

function literal(value) {
  return typeof value === 'string' ? value.replace(/([$%])\{/g, '$1$1{') : value;
}

/** The cut-down example: its variables (with values when they have no default) and module calls. */
async function exampleSources(exampleDir, moduleSource, known, values) {
  const loaded = await loadDirectory(exampleDir);
  const errors = [...loaded.errors];
  const variable = {};
  const tfvars = {};
  for (const v of blocks(loaded.files, 'variable')) {
    const name = v.labels[0];
    const body = { ...v.body };
    delete body.validation;
    // Terraform's JSON syntax takes a type as its bare expression, not as a template.
    if (typeof body.type === 'string') body.type = body.type.replace(/^\$\{([\s\S]*)\}$/, '$1');
    variable[name] = body;
    if (!Object.prototype.hasOwnProperty.call(body, 'default')) {
      if (values[name] === undefined) errors.push(`${exampleDir}: variable ${name} has no default and no value in fixtures/example-variables.json`);
      else tfvars[name] = values[name];
    }
  }
  const module = {};
  const output = {};
  for (const m of blocks(loaded.files, 'module')) {
    const name = m.labels[0];
    const body = {};
    for (const [k, v] of Object.entries(m.body)) {
      if (META_ARGUMENTS.has(k)) continue;
      body[k] = mapStrings(v, (s) => {
        const ref = /^\$\{([a-z0-9_.]+)\}$/.exec(s);
        return ref && Object.prototype.hasOwnProperty.call(known, ref[1]) ? literal(known[ref[1]]) : s;
      });
    }
    body.source = moduleSource(path.resolve(exampleDir, m.body.source));
    module[name] = body;
    output[`${name}_calls`] = { value: `\${module.${name}.${CALLS}}`, sensitive: true };
    output[`${name}_inputs`] = { value: `\${module.${name}.${INPUTS}}`, sensitive: true };
  }
  if (Object.keys(module).length === 0) errors.push(`${exampleDir}: no module call`);
  const config = Object.keys(variable).length > 0 ? { variable, module, output } : { module, output };
  const files = {
    'main.tf.json': JSON.stringify(config, null, 2) + '\n',
    'terraform.tfvars.json': JSON.stringify(tfvars, null, 2) + '\n',
  };
  return { files, errors, modules: blocks(loaded.files, 'module').map((m) => [m.labels[0], path.resolve(exampleDir, m.body.source)]) };
}

/**
 * Everything terraform will evaluate for these examples, as files under a work directory
 * (modules/NAME, modules/templates, examples/NAME), with a hash of it all.
 */
async function sources(terraformDir, examples, { known, values }) {
  const files = {};
  const errors = [];
  const moduleNames = new Map();
  const templatesDir = path.join(terraformDir, 'templates');
  for (const name of fs.readdirSync(templatesDir).filter((n) => n.endsWith('.tftpl')).sort()) {
    files[`modules/templates/${name}`] = fs.readFileSync(path.join(templatesDir, name), 'utf8');
  }
  const moduleSource = (dir) => {
    if (!moduleNames.has(dir)) moduleNames.set(dir, path.relative(terraformDir, dir).replace(/[^A-Za-z0-9_-]/g, '_'));
    return `../../modules/${moduleNames.get(dir)}`;
  };
  const exampleNames = new Map();
  for (const exampleDir of examples) {
    const name = path.relative(terraformDir, exampleDir).replace(/[^A-Za-z0-9_-]/g, '_');
    exampleNames.set(exampleDir, name);
    const example = await exampleSources(exampleDir, moduleSource, known, values);
    errors.push(...example.errors);
    for (const [f, text] of Object.entries(example.files)) files[`examples/${name}/${f}`] = text;
  }
  for (const [dir, name] of [...moduleNames].sort()) {
    const mod = await moduleSources(dir);
    errors.push(...mod.errors);
    for (const [f, text] of Object.entries(mod.files)) files[`modules/${name}/${f}`] = text;
  }
  const hash = crypto.createHash('sha256');
  for (const f of Object.keys(files).sort()) hash.update(`${f}\0${files[f]}\0`);
  return { files, errors, sha256: hash.digest('hex'), exampleNames, moduleNames };
}

function entriesOf(collection) {
  if (Array.isArray(collection)) return collection.map((v, i) => [i, v]);
  return Object.keys(collection || {}).sort().map((k) => [k, collection[k]]);
}

/**
 * Plans the examples with terraform. Returns {calls, errors, sha256}: calls are every
 * templatefile() call, {example, module, template, inputs, vars, rendered}, in a stable order.
 */
async function planExamples(binary, terraformDir, examples, fixtures) {
  const src = await sources(terraformDir, examples, fixtures);
  if (src.errors.length > 0) return { calls: [], errors: src.errors, sha256: src.sha256 };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-plan-'));
  const calls = [];
  const errors = [];
  try {
    for (const [f, text] of Object.entries(src.files)) {
      fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
      fs.writeFileSync(path.join(work, f), text);
    }
    for (const exampleDir of examples) {
      const name = src.exampleNames.get(exampleDir);
      const cwd = path.join(work, 'examples', name);
      const opts = { cwd, dataDir: path.join(work, 'data', name) };
      const state = path.join(work, 'state', `${name}.tfstate`);
      const where = path.relative(terraformDir, exampleDir) || exampleDir;
      let run = runTerraform(binary, ['init', '-input=false', '-backend=false', '-no-color'], opts);
      if (run.status === 0) run = runTerraform(binary, ['apply', '-input=false', '-auto-approve', '-lock=false', '-no-color', `-state=${state}`], opts);
      if (run.status !== 0) {
        errors.push(`${where}: terraform plan fails:\n${(run.stderr || run.stdout).trim()}`);
        continue;
      }
      run = runTerraform(binary, ['output', '-json', '-no-color', `-state=${state}`], opts);
      const outputs = JSON.parse(run.stdout);
      const example = await loadDirectory(exampleDir);
      for (const m of blocks(example.files, 'module')) {
        const moduleDir = path.resolve(exampleDir, m.body.source);
        const inputs = outputs[`${m.labels[0]}_inputs`].value;
        for (const [, local] of entriesOf(outputs[`${m.labels[0]}_calls`].value)) {
          for (const [, call] of entriesOf(local)) {
            calls.push({
              example: where,
              module: path.relative(terraformDir, moduleDir),
              template: path.basename(call.template),
              inputs,
              vars: call.vars,
              rendered: call.rendered,
            });
          }
        }
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { calls, errors, sha256: src.sha256 };
}

module.exports = { sources, planExamples };

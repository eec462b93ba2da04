'use strict';
// Plans an example offline: evaluates the example's module call, converts the inputs to the
// module's variable types (optional() defaults included), checks them against the variables'
// validation blocks, evaluates every local of the module (recording each templatefile() call with
// the variables it passes) and checks the resources' preconditions. Values known only after apply
// come from a fixture, as a plan would print "(known after apply)".

const fs = require('node:fs');
const path = require('node:path');
const { loadDirectory, blocks } = require('./hcl');
const { Context, EvalError, evalJson, parseType, convert } = require('./evaluate');
const { Unknown } = require('./values');

const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

function localsOf(files) {
  const locals = {};
  for (const f of files) {
    for (const body of f.json.locals || []) Object.assign(locals, body);
  }
  return locals;
}

/** The root module's own variables: defaults, else unknown (they come from -var at plan time). */
async function rootVariables(files) {
  const values = {};
  for (const v of blocks(files, 'variable')) {
    const name = v.labels[0];
    if (Object.prototype.hasOwnProperty.call(v.body, 'default')) {
      values[name] = await convert(await evalJson(v.body.default, emptyContext(), {}), await parseType(v.body.type || '${any}'), `var.${name}`);
    } else {
      values[name] = new Unknown(`var.${name}, set when planning`);
    }
  }
  return values;
}

function emptyContext() {
  return new Context({ moduleDir: '.', variables: {}, locals: {} });
}

/** A module's variables from the caller's inputs: converted, defaulted, validated. */
async function moduleVariables(moduleFiles, inputs, where, errors) {
  const values = {};
  const declared = blocks(moduleFiles, 'variable');
  for (const name of Object.keys(inputs)) {
    if (!declared.some((v) => v.labels[0] === name)) errors.push(`${where}: argument ${name} is not a variable of the module`);
  }
  for (const v of declared) {
    const name = v.labels[0];
    const type = await parseType(v.body.type || '${any}');
    try {
      if (Object.prototype.hasOwnProperty.call(inputs, name)) {
        values[name] = await convert(inputs[name], type, `var.${name}`);
      } else if (Object.prototype.hasOwnProperty.call(v.body, 'default')) {
        values[name] = await convert(await evalJson(v.body.default, emptyContext(), {}), type, `var.${name}`);
      } else {
        errors.push(`${where}: the required variable ${name} is not set`);
        values[name] = new Unknown(`var.${name} (not set)`);
      }
    } catch (e) {
      errors.push(`${where}: ${e.message}`);
      values[name] = new Unknown(`var.${name} (invalid)`);
    }
  }
  return values;
}

async function checkValidations(moduleDir, moduleFiles, values, where, errors) {
  const ctx = new Context({ moduleDir, variables: values, locals: {} });
  for (const v of blocks(moduleFiles, 'variable')) {
    for (const validation of v.body.validation || []) {
      try {
        const ok = await evalJson(validation.condition, ctx, {});
        if (ok === false) errors.push(`${where}: var.${v.labels[0]} fails its validation: ${validation.error_message}`);
      } catch (e) {
        errors.push(`${where}: var.${v.labels[0]}: validation cannot be evaluated: ${e.message}`);
      }
    }
  }
}

async function checkPreconditions(ctx, moduleFiles, where, errors) {
  for (const r of blocks(moduleFiles, 'resource')) {
    const conditions = (r.body.lifecycle || []).flatMap((l) => l.precondition || []);
    if (conditions.length === 0) continue;
    const address = r.labels.join('.');
    let instances = [{}];
    try {
      if (r.body.for_each !== undefined) {
        const collection = await evalJson(r.body.for_each, ctx, {});
        if (collection instanceof Unknown) continue;
        instances = Object.entries(collection).map(([key, value]) => ({ each: { key, value } }));
      } else if (r.body.count !== undefined) {
        const count = await evalJson(r.body.count, ctx, {});
        if (count instanceof Unknown) continue;
        instances = [...Array(count).keys()].map((index) => ({ count: { index } }));
      }
      for (const scope of instances) {
        for (const p of conditions) {
          const ok = await evalJson(p.condition, ctx, scope);
          if (ok === false) {
            const key = scope.each ? `["${scope.each.key}"]` : scope.count ? `[${scope.count.index}]` : '';
            errors.push(`${where}: precondition of ${address}${key} fails: ${p.error_message}`);
          }
        }
      }
    } catch (e) {
      errors.push(`${where}: ${address}: precondition cannot be evaluated: ${e.message}`);
    }
  }
}

/**
 * Plans every module call of an example directory.
 *
 * @returns {{calls: Array, errors: string[], inputs: object}} calls: every templatefile()
 *     evaluated, with the module, the template file, the variables and the rendering; inputs: each
 *     module's variables (converted, defaulted) by module directory
 */
async function planExample(exampleDir, known) {
  const errors = [];
  const calls = [];
  const moduleInputs = {};
  const example = await loadDirectory(exampleDir);
  errors.push(...example.errors);
  const rootCtx = new Context({
    moduleDir: exampleDir,
    variables: await rootVariables(example.files),
    locals: localsOf(example.files),
    known,
  });
  for (const m of blocks(example.files, 'module')) {
    const where = `${exampleDir}: module.${m.labels[0]}`;
    const moduleDir = path.resolve(exampleDir, m.body.source);
    if (!fs.existsSync(moduleDir)) {
      errors.push(`${where}: source ${m.body.source} does not exist`);
      continue;
    }
    const inputs = {};
    for (const [name, json] of Object.entries(m.body)) {
      if (META_ARGUMENTS.has(name)) continue;
      try {
        inputs[name] = await evalJson(json, rootCtx, {});
      } catch (e) {
        errors.push(`${where}: argument ${name}: ${e.message}`);
      }
    }
    const loaded = await loadDirectory(moduleDir);
    errors.push(...loaded.errors);
    const variables = await moduleVariables(loaded.files, inputs, where, errors);
    moduleInputs[moduleDir] = variables;
    await checkValidations(moduleDir, loaded.files, variables, where, errors);
    const ctx = new Context({
      moduleDir,
      variables,
      locals: localsOf(loaded.files),
      onTemplatefile: (call) => calls.push({ example: exampleDir, module: moduleDir, ...call }),
    });
    for (const name of Object.keys(ctx.localSources)) {
      try {
        await ctx.local(name);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        errors.push(`${where}: ${e.message}`);
      }
    }
    await checkPreconditions(ctx, loaded.files, where, errors);
  }
  return { calls: dedupe(calls), errors, inputs: moduleInputs };
}

// A local read twice records its templatefile() calls once.
function dedupe(calls) {
  const seen = new Set();
  return calls.filter((c) => {
    const key = JSON.stringify([c.module, c.template, c.vars]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

module.exports = { planExample };

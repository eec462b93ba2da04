'use strict';
// Rules for the shared bootstrap templates and their contract, variables.json.

const fs = require('node:fs');
const path = require('node:path');
const { expressionAst, walkAst } = require('./hcl');
const template = require('./template');

// The types the template language writes: ${NAME} of a string or number, jsonencode of a map.
const TYPES = new Set(['string', 'number', 'map(string)']);
const FIRST_LINE = {
  '.yaml.tftpl': '#cloud-config',
  '.ps1.tftpl': '#ps1_sysnative',
};

function readContract(templatesDir) {
  return JSON.parse(fs.readFileSync(path.join(templatesDir, 'variables.json'), 'utf8'));
}

/** The names HCL's own template parser sees referenced, for a cross-check of ours. */
async function hclReferences(text) {
  const ast = await expressionAst(`<<STRATA_TEMPLATE_END\n${text}\nSTRATA_TEMPLATE_END\n`);
  const names = new Set();
  walkAst(ast, (node) => {
    if (node.type === 'scopeTraversal') names.add(node.meta.traversal[0].segment);
  });
  return names;
}

function loopVariables(text) {
  const names = new Set();
  const walk = (nodes) => {
    for (const node of nodes) {
      if (node.kind === 'for') names.add(node.key).add(node.value);
      if (node.body) walk(node.body);
    }
  };
  walk(template.parse(text));
  return names;
}

async function templateRules(templatesDir) {
  const errors = [];
  let contract;
  try {
    contract = readContract(templatesDir);
  } catch (e) {
    return [`${templatesDir}/variables.json: ${e.message}`];
  }
  const files = fs.readdirSync(templatesDir).filter((n) => n.endsWith('.tftpl')).sort();
  const listed = Object.keys(contract).sort();
  if (JSON.stringify(files) !== JSON.stringify(listed)) {
    errors.push(`${templatesDir}/variables.json lists [${listed}] but the templates are [${files}]`);
  }
  for (const name of files) {
    const file = path.join(templatesDir, name);
    const text = fs.readFileSync(file, 'utf8');
    if (!/^[\x09\x0a\x20-\x7e]*$/.test(text)) {
      errors.push(`${file}: templates are printable ASCII with LF line ends (no CR, no other characters)`);
    }
    const suffix = Object.keys(FIRST_LINE).find((s) => name.endsWith(s));
    if (!suffix) errors.push(`${file}: a template is a cloud-init (.yaml.tftpl) or PowerShell (.ps1.tftpl) file`);
    else if (text.split('\n')[0] !== FIRST_LINE[suffix]) errors.push(`${file}: the first line must be ${FIRST_LINE[suffix]}`);
    let used;
    try {
      used = template.variables(text);
    } catch (e) {
      errors.push(`${file}: ${e.message}`);
      continue;
    }
    const hcl = await hclReferences(text).catch((e) => {
      errors.push(`${file}: HCL's template parser rejects it: ${e.message}`);
      return null;
    });
    if (hcl) {
      const loops = loopVariables(text);
      const expected = [...hcl].filter((n) => !loops.has(n)).sort();
      if (JSON.stringify(expected) !== JSON.stringify(used)) {
        errors.push(`${file}: HCL's parser sees variables [${expected}], the check's parser [${used}]`);
      }
    }
    const entries = contract[name] || [];
    const declared = entries.map((v) => v.name).sort();
    if (contract[name] && JSON.stringify(declared) !== JSON.stringify(used)) {
      errors.push(`${templatesDir}/variables.json lists [${declared}] for ${name}, which uses [${used}]`);
    }
    for (const v of entries) {
      if (!TYPES.has(v.type)) errors.push(`${templatesDir}/variables.json: ${name}.${v.name} has unknown type ${v.type}`);
      if (typeof v.sensitive !== 'boolean') errors.push(`${templatesDir}/variables.json: ${name}.${v.name} needs sensitive: true|false`);
    }
  }
  return errors;
}

module.exports = { templateRules, readContract };

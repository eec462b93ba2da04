'use strict';
// Each rule is shown to hold on a small, correct module and to fail on that module with one
// defect added: a rule that cannot fail would prove nothing.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadDirectory } = require('../src/hcl');
const rules = require('../src/rules');
const { templateRules, readContract } = require('../src/templates');

const TEMPLATE = '#cloud-config\nname: ${jsonencode(cluster_name)}\ntoken: ${jsonencode(join_token)}\n';
const CONTRACT = {
  'node.yaml.tftpl': [
    { name: 'cluster_name', type: 'string', sensitive: false },
    { name: 'join_token', type: 'string', sensitive: true },
  ],
};

const BASE = {
  'versions.tf': `terraform {
  required_version = ">= 1.5.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}
`,
  'variables.tf': `variable "cluster_name" {
  type        = string
  description = "The cluster's name."

  validation {
    condition     = length(var.cluster_name) > 2
    error_message = "cluster_name is too short."
  }
}

variable "join_token" {
  type        = string
  description = "The bootstrap token."
  sensitive   = true
}
`,
  'main.tf': `locals {
  cloud_init = templatefile("\${path.module}/../templates/node.yaml.tftpl", {
    cluster_name = var.cluster_name
    join_token   = var.join_token
  })
  url = "https://\${var.cluster_name}.example"
}

resource "azurerm_resource_group" "cluster" {
  name     = var.cluster_name
  location = "westeurope"
  tags     = { data = base64encode(local.cloud_init) }
}
`,
  'outputs.tf': `output "url" {
  description = "Where the cluster answers."
  value       = local.url
}
`,
};

function workspace(files, { template = TEMPLATE, contract = CONTRACT, extraTemplates = {} } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-rules-'));
  const moduleDir = path.join(root, 'module');
  const templatesDir = path.join(root, 'templates');
  fs.mkdirSync(moduleDir);
  fs.mkdirSync(templatesDir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(moduleDir, name), text);
  fs.writeFileSync(path.join(templatesDir, 'node.yaml.tftpl'), template);
  for (const [name, text] of Object.entries(extraTemplates)) fs.writeFileSync(path.join(templatesDir, name), text);
  fs.writeFileSync(path.join(templatesDir, 'variables.json'), JSON.stringify(contract));
  return { root, moduleDir, templatesDir };
}

async function allRules(files, options) {
  const { moduleDir, templatesDir, root } = workspace(files, options);
  try {
    const loaded = await loadDirectory(moduleDir);
    const { errors } = await rules.templatefileRules(moduleDir, loaded.files, templatesDir, readContract(templatesDir));
    return loaded.errors
      .concat(rules.variableRules(loaded.files))
      .concat(await rules.referenceRules(loaded.files))
      .concat(await rules.outputRules(loaded.files))
      .concat(rules.versionRules(loaded.files, { isModule: true }))
      .concat(errors)
      .concat(await templateRules(templatesDir));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function change(file, from, to) {
  assert.ok(BASE[file].includes(from), `fixture ${file} lacks ${from}`);
  return { ...BASE, [file]: BASE[file].replace(from, to) };
}

test('the base module passes every rule', async () => {
  assert.deepEqual(await allRules(BASE), []);
});

const defects = [
  ['HCL syntax error', change('main.tf', 'location = "westeurope"', 'location = "westeurope'), 'HCL syntax'],
  ['undeclared variable', change('main.tf', 'var.cluster_name}.example', 'var.region}.example'), 'var.region is used but not declared'],
  ['unused variable', { ...BASE, 'variables.tf': BASE['variables.tf'] + '\nvariable "spare" {\n  type        = string\n  description = "Never read anywhere."\n}\n' }, 'variable "spare" is declared but never used'],
  ['variable used only in its own validation', { ...BASE, 'variables.tf': BASE['variables.tf'] + '\nvariable "spare" {\n  type        = string\n  description = "Read by its validation only."\n\n  validation {\n    condition     = var.spare != ""\n    error_message = "spare is empty."\n  }\n}\n' }, 'variable "spare" is declared but never used'],
  ['undeclared local', change('outputs.tf', 'local.url', 'local.address'), 'local.address is used but not declared'],
  ['variable without type', change('variables.tf', '  type        = string\n  description = "The cluster', '  description = "The cluster'), 'variable "cluster_name" has no type'],
  ['variable without description', change('variables.tf', '  description = "The bootstrap token."\n', ''), 'variable "join_token" has no description'],
  ['validation without error_message', change('variables.tf', '    error_message = "cluster_name is too short."\n', ''), 'needs a condition and an error_message'],
  ['secret not marked sensitive', change('variables.tf', '  sensitive   = true\n', ''), 'holds a secret: mark it sensitive'],
  ['output without description', change('outputs.tf', '  description = "Where the cluster answers."\n', ''), 'output "url" has no description'],
  ['output of a sensitive variable', change('outputs.tf', 'local.url', 'var.join_token'), 'exposes the sensitive var.join_token'],
  ['output derived from a secret', change('outputs.tf', 'local.url', 'local.cloud_init'), 'exposes local.cloud_init, derived from a sensitive variable'],
  ['sensitive output', change('outputs.tf', '  value       = local.url\n', '  value       = local.url\n  sensitive   = true\n'), 'outputs carry no secrets'],
  ['unbounded provider version', change('versions.tf', '"~> 4.20"', '">= 4.20"'), 'must pin its version with an upper bound'],
  ['provider without source', change('versions.tf', '      source  = "hashicorp/azurerm"\n', ''), 'needs a source'],
  ['provider used but not required', change('main.tf', 'resource "azurerm_resource_group"', 'resource "random_pet"'), 'provider random is used but not in required_providers'],
  ['no required_version', change('versions.tf', '  required_version = ">= 1.5.0"\n', ''), 'required_version is missing'],
  ['provider block in a module', { ...BASE, 'providers.tf': 'provider "azurerm" {\n  features {}\n}\n' }, 'must not configure providers'],
  ['templatefile passes too few variables', change('main.tf', '    join_token   = var.join_token\n', ''), 'passes [cluster_name] but node.yaml.tftpl uses [cluster_name,join_token]'],
  ['templatefile passes an extra variable', change('main.tf', '    join_token   = var.join_token\n', '    join_token   = var.join_token\n    extra        = "x"\n'), 'but node.yaml.tftpl uses'],
  ['templatefile of a missing file', change('main.tf', 'node.yaml.tftpl', 'nodes.yaml.tftpl'), 'does not exist'],
  ['templatefile path not a constant', change('main.tf', '"${path.module}/../templates/node.yaml.tftpl"', '"${var.cluster_name}/node.yaml.tftpl"'), 'the template path must be a constant under path.module'],
  [
    'templatefile vars not a literal object',
    { ...BASE, 'main.tf': BASE['main.tf'].replace('node.yaml.tftpl", {', 'node.yaml.tftpl", merge({}, {').replace('  })\n  url', '  }))\n  url') },
    'pass the variables as an object literal',
  ],
];
for (const [what, files, expected] of defects) {
  test(`fails on: ${what}`, async () => {
    const errors = await allRules(files);
    assert.ok(errors.some((e) => e.includes(expected)), `expected "${expected}" in:\n${errors.join('\n')}`);
  });
}

test('fails on a template outside the shared templates folder', async () => {
  const files = change('main.tf', '${path.module}/../templates/node.yaml.tftpl', '${path.module}/local.yaml.tftpl');
  files['local.yaml.tftpl'] = TEMPLATE;
  const errors = await allRules(files);
  assert.ok(errors.some((e) => e.includes('must come from the one shared copy')), errors.join('\n'));
});

const templateDefects = [
  ['a variable variables.json does not list', { template: TEMPLATE + 'pool: ${jsonencode(pool_name)}\n' }, 'variables.json lists [cluster_name,join_token] for node.yaml.tftpl, which uses [cluster_name,join_token,pool_name]'],
  ['syntax outside the subset', { template: TEMPLATE + 'x: ${upper(cluster_name)}\n' }, 'unsupported interpolation'],
  ['non-ASCII text', { template: TEMPLATE + '# caf\u00e9\n' }, 'printable ASCII'],
  ['a wrong first line', { template: TEMPLATE.replace('#cloud-config', '# cloud config') }, 'the first line must be #cloud-config'],
  ['a template missing from variables.json', { extraTemplates: { 'other.ps1.tftpl': '#ps1_sysnative\n' } }, 'but the templates are'],
  ['an unknown type in variables.json', { contract: { 'node.yaml.tftpl': [{ name: 'cluster_name', type: 'text', sensitive: false }, CONTRACT['node.yaml.tftpl'][1]] } }, 'unknown type text'],
];
for (const [what, options, expected] of templateDefects) {
  test(`template rules fail on ${what}`, async () => {
    const errors = await allRules(BASE, options);
    assert.ok(errors.some((e) => e.includes(expected)), `expected "${expected}" in:\n${errors.join('\n')}`);
  });
}

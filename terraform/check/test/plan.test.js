'use strict';
// The examples planned by real Terraform (src/plan.js). What needs the terraform binary skips,
// saying so, where there is none; the committed plans are checked for staleness either way.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { sources, planExamples } = require('../src/plan');
const { terraformBinary } = require('../src/terraform');
const { allExamples, fixtures } = require('../src/cli');

const terraformDir = path.resolve(__dirname, '..', '..');
const fix = fixtures(terraformDir);
const binary = terraformBinary();
const needsTerraform = binary ? {} : { skip: 'no terraform binary on the PATH' };
const committed = JSON.parse(fs.readFileSync(path.join(__dirname, 'golden', 'example-plans.json'), 'utf8'));

test('the committed plans are for the modules and examples of today', async () => {
  const src = await sources(terraformDir, allExamples(terraformDir), fix);
  assert.deepEqual(src.errors, []);
  assert.equal(src.sha256, committed.sources_sha256, 'run test/golden/regenerate.sh (needs terraform)');
});

test('the cut-down module keeps variables.tf and only the locals its templatefile() calls need', async () => {
  const src = await sources(terraformDir, [path.join(terraformDir, 'azure', 'examples', 'ha')], fix);
  assert.deepEqual(src.errors, []);
  const locals = JSON.parse(src.files['modules/azure/locals.tf.json']).locals;
  for (const needed of ['allocator_cloud_init', 'linux_cloud_init', 'windows_script', 'allocator_ips', 'subnet_cidr', 'ha', 'ha_ips', 'pools']) {
    assert.ok(locals[needed] !== undefined, needed);
  }
  // Not needed by a call, or needing a resource: left out (a resource cannot be planned without its provider).
  for (const left of ['windows_bootstrap_command', 'tags', 'resource_group_name']) assert.equal(locals[left], undefined, left);
  assert.match(locals.allocator_cloud_init, /\{ template = "\$\{path\.module\}\/\.\.\/templates\/allocator\.cloud-init\.yaml\.tftpl", vars = \{/);
  assert.match(locals.allocator_cloud_init, /rendered = templatefile\(/);
  assert.equal(src.files['modules/azure/variables.tf'], fs.readFileSync(path.join(terraformDir, 'azure', 'variables.tf'), 'utf8'));
  const example = JSON.parse(src.files['examples/azure_examples_ha/main.tf.json']);
  assert.equal(example.module.strata.source, '../../modules/azure');
  assert.equal(example.module.strata.join_token, fix.known['random_password.join_token.result']);
  assert.equal(example.module.strata.allocator_count, 3);
  assert.deepEqual(JSON.parse(src.files['examples/azure_examples_ha/terraform.tfvars.json']), {
    ssh_public_key: fix.values.ssh_public_key,
    subscription_id: fix.values.subscription_id,
    windows_admin_password: fix.values.windows_admin_password,
  });
});

test('every example renders every template; an HA group one allocator script per machine', () => {
  const by = (example, template) => committed.calls.filter((c) => c.example === example && c.template === template);
  for (const cloud of ['azure', 'openstack']) {
    for (const kind of ['hybrid', 'ha']) {
      for (const t of ['linux-agent.cloud-init.yaml.tftpl', 'windows-agent.ps1.tftpl']) {
        assert.equal(by(`${cloud}/examples/${kind}`, t).length, 1, `${cloud} ${kind} ${t}`);
      }
    }
    assert.equal(by(`${cloud}/examples/hybrid`, 'allocator.cloud-init.yaml.tftpl').length, 1);
    const ha = by(`${cloud}/examples/ha`, 'allocator.cloud-init.yaml.tftpl');
    assert.deepEqual(ha.map((c) => c.vars.zookeeper_myid), [1, 2, 3]);
    for (const c of ha) {
      assert.equal(c.vars.zookeeper_url, 'zk://10.40.0.10:2181,10.40.0.11:2181,10.40.0.12:2181/strata');
      assert.deepEqual(c.vars.zookeeper_servers, { 1: '10.40.0.10', 2: '10.40.0.11', 3: '10.40.0.12' });
      assert.equal(c.vars.advertise_url, `https://10.40.0.${9 + c.vars.zookeeper_myid}:5050`);
    }
  }
});

// An example of the azure module with the given module arguments (HCL), planned by terraform.
const AZURE_MODULE = path.join(terraformDir, 'azure');
const GOOD_ARGS = {
  cluster_name: '"demo"',
  location: '"westeurope"',
  artifact_url: '"https://example.com/strata.tar.gz"',
  ssh_public_key: '"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake"',
  windows_admin_password: '"correct-horse-battery"',
  cluster_ca_pem: '"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"',
  cluster_ca_key_pem: '"-----BEGIN EC PRIVATE KEY-----\\nMHcC\\n-----END EC PRIVATE KEY-----\\n"',
  join_token: '"0123456789abcdef0123456789abcdef"',
  join_token_expires_at: '"2030-01-01T00:00:00Z"',
  operator_token: '"fedcba9876543210fedcba9876543210"',
  pools:
    '[{ name = "linux", os = "linux", count = 1, size = "Standard_D2s_v5", image = "Canonical:ubuntu-24_04-lts:server:latest" }, { name = "win", os = "windows", count = 1, size = "Standard_D4s_v5", image = "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest" }]',
};

async function planWith(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-example-'));
  try {
    const body = Object.entries(args)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `  ${k} = ${v}`)
      .join('\n');
    fs.writeFileSync(path.join(dir, 'main.tf'), `module "strata" {\n  source = ${JSON.stringify(AZURE_MODULE)}\n${body}\n}\n`);
    return await planExamples(binary, terraformDir, [dir], fix);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('inline inputs plan cleanly, with optional() defaults applied', needsTerraform, async () => {
  const plan = await planWith(GOOD_ARGS);
  assert.deepEqual(plan.errors, []);
  const linux = plan.calls.find((c) => c.template === 'linux-agent.cloud-init.yaml.tftpl');
  assert.deepEqual(linux.vars.attributes, {});
  assert.equal(linux.vars.artifact_sha256, '');
  assert.equal(linux.vars.strata_version, '0.1.0');
  assert.equal(linux.inputs.pools[0].disk_gb, 64);
});

test('an HA group of 5 plans one allocator script per machine, all in one ensemble', needsTerraform, async () => {
  const plan = await planWith({ ...GOOD_ARGS, allocator_count: '5' });
  assert.deepEqual(plan.errors, []);
  const allocators = plan.calls.filter((c) => c.template === 'allocator.cloud-init.yaml.tftpl');
  const ips = [10, 11, 12, 13, 14].map((n) => `10.40.0.${n}`);
  assert.deepEqual(allocators.map((c) => c.vars.zookeeper_myid), [1, 2, 3, 4, 5]);
  for (const c of allocators) {
    assert.equal(c.vars.zookeeper_url, `zk://${ips.map((ip) => `${ip}:2181`).join(',')}/strata`);
    assert.ok(c.rendered.includes(`"advertiseUrl": "https://${ips[c.vars.zookeeper_myid - 1]}:5050"`));
  }
  const linux = plan.calls.find((c) => c.template === 'linux-agent.cloud-init.yaml.tftpl');
  assert.equal(linux.vars.allocator_url, ips.map((ip) => `https://${ip}:5050`).join(','));
});

const bad = [
  ['an invalid cluster name', { cluster_name: '"Demo_Cluster"' }, 'cluster_name must be'],
  ['a missing required variable', { artifact_url: undefined }, 'The argument "artifact_url" is required'],
  ['an argument the module does not have', { region: '"x"' }, 'No argument or block type is named "region"'],
  ['a pool without a size', { pools: '[{ name = "linux", os = "linux", count = 1, image = "a:b:c:d" }]' }, 'attribute "size" is required'],
  ['a pool with an unknown os', { pools: '[{ name = "l", os = "macos", count = 1, size = "s", image = "a:b:c:d" }]' }, "Every pool's os must be linux or windows"],
  ['duplicate pool names', { pools: '[{ name = "l", os = "linux", count = 1, size = "s", image = "a:b:c:d" }, { name = "l", os = "linux", count = 1, size = "s", image = "a:b:c:d" }]' }, 'Pool names must be unique'],
  ['a reference to a resource', { join_token: 'random_password.other.result' }, 'Reference to undeclared resource'],
  ['two allocators', { allocator_count: '2' }, 'allocator_count must be 1, 3 or 5'],
  ['four allocators', { allocator_count: '4' }, 'allocator_count must be 1, 3 or 5'],
  ['seven allocators', { allocator_count: '7' }, 'allocator_count must be 1, 3 or 5'],
];
for (const [what, change, expected] of bad) {
  test(`the plan fails on ${what}`, needsTerraform, async () => {
    const plan = await planWith({ ...GOOD_ARGS, ...change });
    const all = plan.errors.join('\n').replace(/\s+/g, ' ');
    assert.ok(all.includes(expected), `expected "${expected}" in:\n${plan.errors.join('\n')}`);
  });
}

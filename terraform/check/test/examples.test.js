'use strict';
// The offline plan of an example: the real modules with example inputs, good and bad.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { planExample } = require('../src/examples');
const { Context, evalSource } = require('../src/evaluate');

const terraformDir = path.resolve(__dirname, '..', '..');
const known = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'known-after-apply.json'), 'utf8'));

for (const cloud of ['azure', 'openstack']) {
  test(`the ${cloud} example plans cleanly and renders the three templates`, async () => {
    const plan = await planExample(path.join(terraformDir, cloud, 'examples', 'hybrid'), known);
    assert.deepEqual(plan.errors, []);
    const byTemplate = Object.fromEntries(plan.calls.map((c) => [path.basename(c.template), c.vars]));
    assert.deepEqual(Object.keys(byTemplate).sort(), [
      'allocator.cloud-init.yaml.tftpl',
      'linux-agent.cloud-init.yaml.tftpl',
      'windows-agent.ps1.tftpl',
    ]);
    const linux = byTemplate['linux-agent.cloud-init.yaml.tftpl'];
    assert.equal(linux.allocator_url, 'https://10.40.0.10:5050');
    assert.equal(linux.pool_name, 'linux');
    assert.deepEqual(linux.attributes, { disk: 'ssd', tier: 'general' });
    assert.equal(linux.join_token, known['random_password.join_token.result']);
    assert.equal(byTemplate['allocator.cloud-init.yaml.tftpl'].allocator_port, 5050);
    assert.equal(byTemplate['windows-agent.ps1.tftpl'].pool_name, 'win');
  });
}

// Text gzip cannot shrink much (hex digests), so the compressed script really grows.
function noise(length) {
  let out = '';
  for (let i = 0; out.length < length; i++) out += require('node:crypto').createHash('sha256').update(String(i)).digest('hex');
  return out.substring(0, length);
}

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
      .map(([k, v]) => `  ${k} = ${v}`)
      .join('\n');
    fs.writeFileSync(path.join(dir, 'main.tf'), `module "strata" {\n  source = ${JSON.stringify(AZURE_MODULE)}\n${body}\n}\n`);
    return await planExample(dir, {});
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the inline example inputs plan cleanly, with optional() defaults applied', async () => {
  const plan = await planWith(GOOD_ARGS);
  assert.deepEqual(plan.errors, []);
  const linux = plan.calls.find((c) => c.template.endsWith('linux-agent.cloud-init.yaml.tftpl'));
  assert.deepEqual(linux.vars.attributes, {});
  assert.equal(linux.vars.artifact_sha256, '');
  assert.equal(linux.vars.strata_version, '0.1.0');
});

test('an HA group of 3 or 5 plans one allocator script per machine, all in one ensemble', async () => {
  for (const count of [3, 5]) {
    const plan = await planWith({ ...GOOD_ARGS, allocator_count: String(count) });
    assert.deepEqual(plan.errors, []);
    const allocators = plan.calls.filter((c) => c.template.endsWith('allocator.cloud-init.yaml.tftpl'));
    assert.equal(allocators.length, count);
    const ips = [...Array(count).keys()].map((i) => `10.40.0.${10 + i}`);
    const zk = `zk://${ips.map((ip) => `${ip}:2181`).join(',')}/strata`;
    assert.deepEqual(allocators.map((c) => c.vars.zookeeper_myid).sort(), [...Array(count).keys()].map((i) => i + 1));
    for (const c of allocators) {
      assert.equal(c.vars.zookeeper_url, zk);
      assert.deepEqual(Object.values(c.vars.zookeeper_servers), ips);
      assert.equal(c.vars.advertise_url, `https://${ips[c.vars.zookeeper_myid - 1]}:5050`);
      assert.ok(c.rendered.includes(`"advertiseUrl": "https://${ips[c.vars.zookeeper_myid - 1]}:5050"`));
    }
    const linux = plan.calls.find((c) => c.template.endsWith('linux-agent.cloud-init.yaml.tftpl'));
    assert.equal(linux.vars.allocator_url, ips.map((ip) => `https://${ip}:5050`).join(','));
  }
});

const bad = [
  ['an invalid cluster name', { cluster_name: '"Demo_Cluster"' }, 'var.cluster_name fails its validation'],
  ['a missing required variable', { artifact_url: undefined }, 'the required variable artifact_url is not set'],
  ['an argument the module does not have', { region: '"x"' }, 'argument region is not a variable of the module'],
  ['a pool without a size', { pools: '[{ name = "linux", os = "linux", count = 1, image = "a:b:c:d" }]' }, 'attribute "size" is required'],
  ['a pool with an unknown os', { pools: '[{ name = "l", os = "macos", count = 1, size = "s", image = "a:b:c:d" }]' }, "Every pool's os must be linux or windows"],
  ['duplicate pool names', { pools: '[{ name = "l", os = "linux", count = 1, size = "s", image = "a:b:c:d" }, { name = "l", os = "linux", count = 1, size = "s", image = "a:b:c:d" }]' }, 'Pool names must be unique'],
  ['a token known only after apply', { join_token: 'random_password.other.result' }, 'templatefile variable join_token is known only after apply'],
  ['two allocators', { allocator_count: '2' }, 'allocator_count must be 1, 3 or 5'],
  ['four allocators', { allocator_count: '4' }, 'allocator_count must be 1, 3 or 5'],
  ['seven allocators', { allocator_count: '7' }, 'allocator_count must be 1, 3 or 5'],
  [
    'a Windows bootstrap command too long for cmd.exe',
    { pools: `[{ name = "win", os = "windows", count = 1, size = "s", image = "a:b:c:d", attributes = { blob = "${noise(16000)}" } }]` },
    "precondition of azurerm_windows_virtual_machine_scale_set.pool[\"win\"] fails: The Windows bootstrap command is longer than cmd.exe's 8191 characters",
  ],
  ['a Windows pool without a password', { windows_admin_password: 'null' }, 'windows_admin_password is required when a pool runs Windows'],
];
for (const [what, change, expected] of bad) {
  test(`the plan fails on ${what}`, async () => {
    const args = { ...GOOD_ARGS, ...change };
    for (const k of Object.keys(args)) if (args[k] === undefined) delete args[k];
    const plan = await planWith(args);
    assert.ok(plan.errors.some((e) => e.includes(expected)), `expected "${expected}" in:\n${plan.errors.join('\n')}`);
  });
}

test('cidr functions compute what Terraform computes', async () => {
  const ctx = new Context({ moduleDir: '.', variables: {}, locals: {} });
  assert.equal(await evalSource('cidrsubnet("10.40.0.0/16", 8, 0)', ctx, {}), '10.40.0.0/24');
  assert.equal(await evalSource('cidrsubnet("10.0.0.0/8", 16, 300)', ctx, {}), '10.1.44.0/24');
  assert.equal(await evalSource('cidrhost("10.40.0.0/24", 10)', ctx, {}), '10.40.0.10');
  assert.equal(await evalSource('cidrhost("10.40.0.0/24", -2)', ctx, {}), '10.40.0.254');
  assert.equal(await evalSource('cidrsubnet("10.40.0.0/24", 24 - tonumber(split("/", "10.40.0.0/24")[1]), 0)', ctx, {}), '10.40.0.0/24');
});

test('an expression the evaluator does not implement is an error, not a guess', async () => {
  const ctx = new Context({ moduleDir: '.', variables: {}, locals: {} });
  await assert.rejects(evalSource('sha512("x")', ctx, {}), /sha512\(\) is not implemented/);
});

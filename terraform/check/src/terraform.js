'use strict';
// The real terraform binary, when one is on the PATH (it cannot be installed where Strata is
// built, so every use of it is optional and says so when skipped). It runs offline: no
// checkpoint call, no CLI configuration, no providers to download.

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** The path of terraform on the PATH, or null. */
function terraformBinary() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'terraform.exe' : 'terraform');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Runs terraform; returns {status, stdout, stderr}. */
function runTerraform(binary, args, { cwd, dataDir } = {}) {
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: '/dev/null',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    NO_COLOR: '1',
  };
  if (dataDir) env.TF_DATA_DIR = dataDir;
  const result = spawnSync(binary, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `terraform fmt -check -recursive` over a directory: the list of files it would change (with
 * its diff), or {skipped} when no terraform is on the PATH.
 */
function checkFormat(dir, binary = terraformBinary()) {
  if (!binary) return { skipped: 'no terraform binary on the PATH: terraform fmt -check skipped' };
  const run = runTerraform(binary, ['fmt', '-check', '-recursive', '-diff', '-no-color', '.'], { cwd: dir });
  if (run.status === 0) return { errors: [] };
  const files = run.stdout.split('\n').filter((l) => l.endsWith('.tf') && !l.includes(' '));
  const errors = files.map((f) => `${path.resolve(dir, f)}: not formatted as terraform fmt writes it`);
  if (errors.length === 0) errors.push(`terraform fmt -check failed: ${run.stderr || run.stdout}`);
  return { errors, diff: run.stdout };
}

module.exports = { terraformBinary, runTerraform, checkFormat };

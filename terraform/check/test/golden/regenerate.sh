#!/usr/bin/env bash
# Renders cases.json with the real Terraform into terraform-rendered.json (committed).
# Needs only the terraform binary (>= 1.8, whose jsonencode writes \b and \f): main.tf uses no
# provider, so nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")"
state=$(mktemp -d)
trap 'rm -rf "$state" .terraform .terraform.lock.hcl' EXIT
export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 TF_DATA_DIR="$state/data"
terraform init -input=false >/dev/null
terraform apply -input=false -auto-approve -state="$state/tfstate" >/dev/null
version=$(terraform version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
terraform output -state="$state/tfstate" -json rendered |
  node -e '
    const fs = require("fs");
    const rendered = JSON.parse(fs.readFileSync(0, "utf8"));
    const out = { terraform_version: process.argv[1], cases: rendered };
    fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + "\n");
  ' "$version" terraform-rendered.json
echo "wrote terraform-rendered.json (Terraform $version)"
# The examples, planned by Terraform with no provider (see src/plan.js).
node ../../src/cli.js plan-examples ../../.. example-plans.json

# Renders every case in cases.json with the real Terraform (templatefile, jsonencode), so the
# check's own renderer can be compared with Terraform's in CI, where Terraform is not installed.
# Regenerate with ./regenerate.sh after changing a case or a template (needs Terraform >= 1.8).
locals {
  cases = jsondecode(file("${path.module}/cases.json"))
}

output "rendered" {
  value = {
    for name, c in local.cases : name => {
      template_sha256 = filesha256("${path.module}/${c.template}")
      text            = templatefile("${path.module}/${c.template}", c.vars)
    }
  }
}

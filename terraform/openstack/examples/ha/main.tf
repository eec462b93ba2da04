# A highly available hybrid cluster: an HA group of three allocators (each machine also runs a
# ZooKeeper server of one ensemble), two Linux agents and one Windows agent.
# The cluster CA and the join token are made here, as `strata provision` makes them at apply time.

resource "tls_private_key" "ca" {
  algorithm   = "ECDSA"
  ecdsa_curve = "P256"
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ca.private_key_pem
  is_ca_certificate     = true
  validity_period_hours = 87600
  allowed_uses          = ["cert_signing", "crl_signing", "digital_signature"]

  subject {
    common_name  = "strata demo-ha cluster CA"
    organization = "Strata"
  }
}

resource "random_password" "join_token" {
  length  = 48
  special = false
}

resource "random_password" "operator_token" {
  length  = 48
  special = false
}

resource "time_offset" "join_token" {
  offset_hours = 24
}

module "strata" {
  source = "../.."

  cluster_name          = "demo-ha"
  allocator_count       = 3
  location              = var.location
  external_network      = var.external_network
  artifact_url          = var.artifact_url
  admin_cidrs           = var.admin_cidrs
  ssh_public_key        = var.ssh_public_key
  allocator_size        = "m1.medium"
  allocator_image       = "ubuntu-24.04"
  cluster_ca_pem        = tls_self_signed_cert.ca.cert_pem
  cluster_ca_key_pem    = tls_private_key.ca.private_key_pem
  join_token            = random_password.join_token.result
  join_token_expires_at = time_offset.join_token.rfc3339
  operator_token        = random_password.operator_token.result

  pools = [
    {
      name       = "linux"
      os         = "linux"
      count      = 2
      size       = "m1.medium"
      image      = "ubuntu-24.04"
      attributes = { "tier" = "general", "disk" = "ssd" }
    },
    {
      name       = "win"
      os         = "windows"
      count      = 1
      size       = "m1.large"
      image      = "windows-server-2022-cloudbase"
      disk_gb    = 80
      attributes = { "tier" = "general" }
    },
  ]
}

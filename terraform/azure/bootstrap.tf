# First-boot scripts, rendered from the one copy of the templates in ../templates. The provisioner
# renders the same templates with the same variables (terraform/templates/variables.json); the
# offline check (../check) fails the build when the two drift apart.

locals {
  # One script per allocator machine. With an HA group (3 or 5) each runs a ZooKeeper server of the
  # ensemble of all allocator machines (ids 1 to N) and an allocator keeping its state there.
  ha_ips = local.ha ? local.allocator_ips : []

  allocator_cloud_init = [
    for i in range(var.allocator_count) : templatefile("${path.module}/../templates/allocator.cloud-init.yaml.tftpl", {
      cluster_name          = var.cluster_name
      strata_version        = var.strata_version
      artifact_url          = var.artifact_url
      artifact_sha256       = var.artifact_sha256
      allocator_port        = var.allocator_port
      cluster_ca_pem        = var.cluster_ca_pem
      cluster_ca_key_pem    = var.cluster_ca_key_pem
      join_token            = var.join_token
      join_token_expires_at = var.join_token_expires_at
      operator_token        = var.operator_token
      advertise_url         = local.ha ? "https://${local.allocator_ips[i]}:${var.allocator_port}" : ""
      zookeeper_url         = local.ha ? "zk://${join(",", [for ip in local.ha_ips : "${ip}:2181"])}/strata" : ""
      zookeeper_servers     = { for j, ip in local.ha_ips : tostring(j + 1) => ip }
      zookeeper_myid        = i + 1
    })
  ]

  linux_cloud_init = {
    for name, pool in local.linux_pools : name => templatefile("${path.module}/../templates/linux-agent.cloud-init.yaml.tftpl", {
      cluster_name    = var.cluster_name
      pool_name       = name
      strata_version  = var.strata_version
      artifact_url    = var.artifact_url
      artifact_sha256 = var.artifact_sha256
      allocator_url   = local.allocator_url
      cluster_ca_pem  = var.cluster_ca_pem
      join_token      = var.join_token
      attributes      = pool.attributes
    })
  }

  windows_script = {
    for name, pool in local.windows_pools : name => templatefile("${path.module}/../templates/windows-agent.ps1.tftpl", {
      cluster_name    = var.cluster_name
      pool_name       = name
      strata_version  = var.strata_version
      artifact_url    = var.artifact_url
      artifact_sha256 = var.artifact_sha256
      allocator_url   = local.allocator_url
      cluster_ca_pem  = var.cluster_ca_pem
      join_token      = var.join_token
      attributes      = pool.attributes
    })
  }

  # The CustomScriptExtension runs the script from its protected settings (encrypted, and kept off
  # the VM model): PowerShell gunzips it from base64 and runs it. cmd.exe, which may start the
  # command, takes at most 8191 characters; a precondition on each scale set checks that.
  windows_bootstrap_command = {
    for name, script in local.windows_script : name => "powershell.exe -NoProfile -ExecutionPolicy Bypass -Command \"$z = New-Object IO.Compression.GZipStream((New-Object IO.MemoryStream(, [Convert]::FromBase64String('${base64gzip(script)}'))), [IO.Compression.CompressionMode]::Decompress); iex (New-Object IO.StreamReader($z)).ReadToEnd()\""
  }
}

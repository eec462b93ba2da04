output "resource_group_name" {
  description = "The resource group that holds every resource of the cluster."
  value       = azurerm_resource_group.cluster.name
}

output "allocator_address" {
  description = "The allocator's public IP address (reachable from admin_cidrs only)."
  value       = azurerm_public_ip.allocator[0].ip_address
}

output "allocator_private_ip" {
  description = "The allocator's private IP address inside the cluster network."
  value       = local.allocator_ip
}

output "allocator_url" {
  description = "The allocator's API as the agents reach it (private address)."
  value       = local.allocator_url
}

output "allocator_public_url" {
  description = "The allocator's API and web UI for administrators (public address, open to admin_cidrs only)."
  value       = "https://${azurerm_public_ip.allocator[0].ip_address}:${var.allocator_port}"
}

output "node_ips" {
  description = "The private IP addresses of each pool's machines, by pool name."
  value       = { for name, set in data.azurerm_virtual_machine_scale_set.pool : name => [for i in set.instances : i.private_ip_address] }
}

output "join_command" {
  description = "Joins another Linux machine of the cluster network as an agent; it needs the cluster CA in /etc/strata/ca.pem and a valid join token in /etc/strata/join-token (never output here)."
  value       = "strata agent --allocator-url ${local.allocator_url} --ca-file /etc/strata/ca.pem --join-token-file /etc/strata/join-token"
}

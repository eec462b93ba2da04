output "resource_group_name" {
  description = "The resource group that holds every resource of the cluster."
  value       = azurerm_resource_group.cluster.name
}

output "allocator_address" {
  description = "The allocator's public IP address (reachable from admin_cidrs only)."
  value       = azurerm_public_ip.allocator[0].ip_address
}

output "allocator_private_ip" {
  description = "The (first) allocator's private IP address inside the cluster network."
  value       = local.allocator_ip
}

output "allocator_private_ips" {
  description = "Every allocator's private IP address, by index (one, or the 3 or 5 of an HA group, each running a ZooKeeper server on port 2181)."
  value       = local.allocator_ips
}

output "allocator_url" {
  description = "The allocators' API as the agents reach it (private addresses): one URL, or with an HA group every allocator's, comma-separated."
  value       = local.allocator_url
}

output "allocator_public_urls" {
  description = "Every allocator's API for administrators (public addresses, open to admin_cidrs only), comma-separated: standbys redirect to the leader's private address, so a client from outside tries each."
  value       = join(",", [for a in azurerm_public_ip.allocator : "https://${a.ip_address}:${var.allocator_port}"])
}

output "allocator_balancer_url" {
  description = "With an HA group, the internal load balancer's URL (private address), which forwards to the leader only; null with one allocator."
  value       = local.ha ? "https://${local.balancer_ip}:${var.allocator_port}" : null
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

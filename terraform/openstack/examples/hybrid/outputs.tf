output "allocator_public_url" {
  description = "The allocator's API and web UI for administrators."
  value       = module.strata.allocator_public_url
}

output "allocator_url" {
  description = "The allocator's API as the agents reach it."
  value       = module.strata.allocator_url
}

output "node_ips" {
  description = "The private IP addresses of each pool's machines."
  value       = module.strata.node_ips
}

output "join_command" {
  description = "Joins another Linux machine of the cluster network as an agent."
  value       = module.strata.join_command
}

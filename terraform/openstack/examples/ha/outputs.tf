output "allocator_public_urls" {
  description = "Every allocator's API for administrators, comma-separated."
  value       = module.strata.allocator_public_urls
}

output "allocator_url" {
  description = "Every allocator's API as the agents reach it, comma-separated."
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

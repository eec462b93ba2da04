output "network_id" {
  description = "The cluster network's id."
  value       = openstack_networking_network_v2.cluster.id
}

output "allocator_address" {
  description = "The allocator's floating IP address (reachable from admin_cidrs only)."
  value       = openstack_networking_floatingip_v2.allocator[0].address
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
  description = "The allocator's API and web UI for administrators (floating IP, open to admin_cidrs only)."
  value       = "https://${openstack_networking_floatingip_v2.allocator[0].address}:${var.allocator_port}"
}

output "node_ips" {
  description = "The private IP addresses of each pool's machines, by pool name."
  value = {
    for name, p in local.pools : name => [for key, node in local.nodes : openstack_compute_instance_v2.node[key].access_ip_v4 if node.pool == name]
  }
}

output "join_command" {
  description = "Joins another Linux machine of the cluster network as an agent; it needs the cluster CA in /etc/strata/ca.pem and a valid join token in /etc/strata/join-token (never output here)."
  value       = "strata agent --allocator-url ${local.allocator_url} --ca-file /etc/strata/ca.pem --join-token-file /etc/strata/join-token"
}

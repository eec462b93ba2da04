output "network_id" {
  description = "The cluster network's id."
  value       = openstack_networking_network_v2.cluster.id
}

output "allocator_address" {
  description = "The allocator's floating IP address (reachable from admin_cidrs only)."
  value       = openstack_networking_floatingip_v2.allocator[0].address
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
  value       = join(",", [for a in openstack_networking_floatingip_v2.allocator : "https://${a.address}:${var.allocator_port}"])
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

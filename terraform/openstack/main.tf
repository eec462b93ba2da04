locals {
  tags      = merge(var.tags, { "strata-cluster" = var.cluster_name })
  tag_texts = [for k, v in local.tags : "${k}=${v}"]

  # The nodes' subnet is the first /24 of the address space (as with the provisioner,
  # NetworkSpec.subnet()); the allocators have its .10, .11, ... addresses; DHCP hands out .20 and up.
  subnet_cidr   = cidrsubnet(var.address_space, 24 - tonumber(split("/", var.address_space)[1]), 0)
  allocator_ips = [for i in range(var.allocator_count) : cidrhost(local.subnet_cidr, 10 + i)]
  allocator_ip  = local.allocator_ips[0]
  ha            = var.allocator_count > 1

  # Agents get every allocator's URL, comma-separated: they follow a standby's redirect to the leader.
  allocator_url = join(",", [for ip in local.allocator_ips : "https://${ip}:${var.allocator_port}"])

  pools         = { for p in var.pools : p.name => p }
  linux_pools   = { for name, p in local.pools : name => p if p.os == "linux" }
  windows_pools = { for name, p in local.pools : name => p if p.os == "windows" }
  user_data     = merge(local.linux_cloud_init, local.windows_script)

  # One server per node, named <cluster>-<pool>-<index> as the provisioner names them.
  nodes = merge([
    for name, p in local.pools : { for i in range(p.count) : "${name}-${i}" => { pool = name, index = i } }
  ]...)

  admin_rules = {
    for pair in setproduct(var.admin_cidrs, [22, 3389, var.allocator_port]) : "${pair[0]}:${pair[1]}" => { cidr = pair[0], port = pair[1] }
  }
}

data "openstack_networking_network_v2" "external" {
  name   = var.external_network
  region = var.location
}

data "openstack_images_image_v2" "allocator" {
  name        = var.allocator_image
  region      = var.location
  most_recent = true
}

data "openstack_images_image_v2" "pool" {
  for_each    = local.pools
  name        = each.value.image
  region      = var.location
  most_recent = true
}

resource "openstack_networking_network_v2" "cluster" {
  name           = "strata-${var.cluster_name}"
  region         = var.location
  admin_state_up = true
  tags           = local.tag_texts
}

resource "openstack_networking_subnet_v2" "nodes" {
  name            = "strata-${var.cluster_name}-nodes"
  region          = var.location
  network_id      = openstack_networking_network_v2.cluster.id
  cidr            = local.subnet_cidr
  ip_version      = 4
  dns_nameservers = var.dns_nameservers
  tags            = local.tag_texts

  allocation_pool {
    start = cidrhost(local.subnet_cidr, 20)
    end   = cidrhost(local.subnet_cidr, -2)
  }
}

resource "openstack_networking_router_v2" "cluster" {
  name                = "strata-${var.cluster_name}"
  region              = var.location
  admin_state_up      = true
  external_network_id = data.openstack_networking_network_v2.external.id
  tags                = local.tag_texts
}

resource "openstack_networking_router_interface_v2" "nodes" {
  region    = var.location
  router_id = openstack_networking_router_v2.cluster.id
  subnet_id = openstack_networking_subnet_v2.nodes.id
}

# Members of the group talk freely to each other; from outside only admin_cidrs reach SSH, RDP
# and the allocator's API. Neutron's default egress rules stay.
resource "openstack_networking_secgroup_v2" "cluster" {
  name        = "strata-${var.cluster_name}"
  region      = var.location
  description = "Strata cluster ${var.cluster_name}"
  tags        = local.tag_texts
}

resource "openstack_networking_secgroup_rule_v2" "intra_cluster" {
  region            = var.location
  direction         = "ingress"
  ethertype         = "IPv4"
  remote_group_id   = openstack_networking_secgroup_v2.cluster.id
  security_group_id = openstack_networking_secgroup_v2.cluster.id
}

resource "openstack_networking_secgroup_rule_v2" "admin" {
  for_each          = local.admin_rules
  region            = var.location
  direction         = "ingress"
  ethertype         = "IPv4"
  protocol          = "tcp"
  port_range_min    = each.value.port
  port_range_max    = each.value.port
  remote_ip_prefix  = each.value.cidr
  security_group_id = openstack_networking_secgroup_v2.cluster.id
}

resource "openstack_compute_keypair_v2" "admin" {
  name       = "strata-${var.cluster_name}"
  region     = var.location
  public_key = var.ssh_public_key
}

resource "openstack_networking_port_v2" "allocator" {
  count              = var.allocator_count
  name               = "${var.cluster_name}-alloc-${count.index}"
  region             = var.location
  network_id         = openstack_networking_network_v2.cluster.id
  admin_state_up     = true
  security_group_ids = [openstack_networking_secgroup_v2.cluster.id]
  tags               = local.tag_texts

  fixed_ip {
    subnet_id  = openstack_networking_subnet_v2.nodes.id
    ip_address = local.allocator_ips[count.index]
  }
}

resource "openstack_compute_instance_v2" "allocator" {
  count       = var.allocator_count
  name        = "${var.cluster_name}-alloc-${count.index}"
  region      = var.location
  flavor_name = var.allocator_size
  key_pair    = openstack_compute_keypair_v2.admin.name
  user_data   = local.allocator_cloud_init[count.index]
  metadata    = local.tags

  block_device {
    uuid                  = data.openstack_images_image_v2.allocator.id
    source_type           = "image"
    destination_type      = "volume"
    volume_size           = var.allocator_disk_gb
    boot_index            = 0
    delete_on_termination = true
  }

  network {
    port = openstack_networking_port_v2.allocator[count.index].id
  }

  # The allocator keeps its first join token; rotating join_token (to add nodes after it expired)
  # must not replace the allocator and its state.
  lifecycle {
    ignore_changes = [user_data]
  }

  depends_on = [openstack_networking_router_interface_v2.nodes]
}

resource "openstack_networking_floatingip_v2" "allocator" {
  count  = var.allocator_count
  pool   = var.external_network
  region = var.location
  tags   = local.tag_texts
}

resource "openstack_networking_floatingip_associate_v2" "allocator" {
  count       = var.allocator_count
  region      = var.location
  floating_ip = openstack_networking_floatingip_v2.allocator[count.index].address
  port_id     = openstack_networking_port_v2.allocator[count.index].id

  depends_on = [openstack_networking_router_interface_v2.nodes]
}

resource "openstack_compute_instance_v2" "node" {
  for_each        = local.nodes
  name            = "${var.cluster_name}-${each.key}"
  region          = var.location
  flavor_name     = local.pools[each.value.pool].size
  key_pair        = openstack_compute_keypair_v2.admin.name
  user_data       = local.user_data[each.value.pool]
  security_groups = [openstack_networking_secgroup_v2.cluster.name]
  metadata        = merge(local.tags, { "strata-pool" = each.value.pool })

  block_device {
    uuid                  = data.openstack_images_image_v2.pool[each.value.pool].id
    source_type           = "image"
    destination_type      = "volume"
    volume_size           = local.pools[each.value.pool].disk_gb
    boot_index            = 0
    delete_on_termination = true
  }

  network {
    uuid = openstack_networking_network_v2.cluster.id
  }

  depends_on = [openstack_networking_router_interface_v2.nodes, openstack_compute_instance_v2.allocator]
}

locals {
  resource_group_name = coalesce(var.resource_group_name, "strata-${var.cluster_name}")
  tags                = merge(var.tags, { "strata-cluster" = var.cluster_name })

  # The nodes' subnet is the first /24 of the address space (as with the provisioner,
  # NetworkSpec.subnet()); the allocators have its .10, .11, ... addresses and, with an HA group,
  # the load balancer in front of them .9.
  subnet_cidr   = cidrsubnet(var.address_space, 24 - tonumber(split("/", var.address_space)[1]), 0)
  allocator_ips = [for i in range(var.allocator_count) : cidrhost(local.subnet_cidr, 10 + i)]
  allocator_ip  = local.allocator_ips[0]
  balancer_ip   = cidrhost(local.subnet_cidr, 9)
  ha            = var.allocator_count > 1

  # Agents get every allocator's URL, comma-separated: they follow a standby's redirect to the leader.
  allocator_url = join(",", [for ip in local.allocator_ips : "https://${ip}:${var.allocator_port}"])

  pools         = { for p in var.pools : p.name => p }
  linux_pools   = { for name, p in local.pools : name => p if p.os == "linux" }
  windows_pools = { for name, p in local.pools : name => p if p.os == "windows" }
  allocator_urn = split(":", var.allocator_image)
  admin_ports   = ["22", "3389", tostring(var.allocator_port)]
}

resource "azurerm_resource_group" "cluster" {
  name     = local.resource_group_name
  location = var.location
  tags     = local.tags
}

resource "azurerm_virtual_network" "cluster" {
  name                = "${var.cluster_name}-vnet"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  address_space       = [var.address_space]
  tags                = local.tags
}

resource "azurerm_subnet" "nodes" {
  name                 = "nodes"
  resource_group_name  = azurerm_resource_group.cluster.name
  virtual_network_name = azurerm_virtual_network.cluster.name
  address_prefixes     = [local.subnet_cidr]
}

# Inside the virtual network everything may talk (Azure's default AllowVnetInBound); from outside
# only admin_cidrs reach SSH, RDP and the allocator's API.
resource "azurerm_network_security_group" "nodes" {
  name                = "${var.cluster_name}-nodes"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  tags                = local.tags

  dynamic "security_rule" {
    for_each = length(var.admin_cidrs) > 0 ? [var.admin_cidrs] : []
    content {
      name                       = "admin-in"
      priority                   = 100
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_ranges    = local.admin_ports
      source_address_prefixes    = security_rule.value
      destination_address_prefix = "VirtualNetwork"
    }
  }
}

resource "azurerm_subnet_network_security_group_association" "nodes" {
  subnet_id                 = azurerm_subnet.nodes.id
  network_security_group_id = azurerm_network_security_group.nodes.id
}

# Outbound internet for the nodes (packages, the JDK, the Strata archive) through a NAT gateway:
# new subnets get no default outbound access.
resource "azurerm_public_ip" "nat" {
  name                = "${var.cluster_name}-nat"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = local.tags
}

resource "azurerm_nat_gateway" "nodes" {
  name                = "${var.cluster_name}-nat"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  sku_name            = "Standard"
  tags                = local.tags
}

resource "azurerm_nat_gateway_public_ip_association" "nodes" {
  nat_gateway_id       = azurerm_nat_gateway.nodes.id
  public_ip_address_id = azurerm_public_ip.nat.id
}

resource "azurerm_subnet_nat_gateway_association" "nodes" {
  subnet_id      = azurerm_subnet.nodes.id
  nat_gateway_id = azurerm_nat_gateway.nodes.id
}

resource "azurerm_public_ip" "allocator" {
  count               = var.allocator_count
  name                = "${var.cluster_name}-alloc-${count.index}"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  allocation_method   = "Static"
  sku                 = "Standard"
  tags                = local.tags
}

resource "azurerm_network_interface" "allocator" {
  count               = var.allocator_count
  name                = "${var.cluster_name}-alloc-${count.index}"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  tags                = local.tags

  ip_configuration {
    name                          = "primary"
    subnet_id                     = azurerm_subnet.nodes.id
    private_ip_address_allocation = "Static"
    private_ip_address            = local.allocator_ips[count.index]
    public_ip_address_id          = azurerm_public_ip.allocator[count.index].id
  }
}

resource "azurerm_linux_virtual_machine" "allocator" {
  count                 = var.allocator_count
  name                  = "${var.cluster_name}-alloc-${count.index}"
  location              = azurerm_resource_group.cluster.location
  resource_group_name   = azurerm_resource_group.cluster.name
  size                  = var.allocator_size
  admin_username        = var.admin_user
  network_interface_ids = [azurerm_network_interface.allocator[count.index].id]
  custom_data           = base64encode(local.allocator_cloud_init[count.index])
  tags                  = local.tags

  admin_ssh_key {
    username   = var.admin_user
    public_key = var.ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb         = var.allocator_disk_gb
  }

  source_image_reference {
    publisher = local.allocator_urn[0]
    offer     = local.allocator_urn[1]
    sku       = local.allocator_urn[2]
    version   = local.allocator_urn[3]
  }

  # The allocator keeps its first join token; rotating join_token (to add nodes after it expired)
  # must not replace the allocator and its state.
  lifecycle {
    ignore_changes = [custom_data]
  }

  depends_on = [azurerm_subnet_nat_gateway_association.nodes]
}

# An HA group: one private address in front of the allocators that forwards to the leader only,
# for clients that take a single URL. The probe asks GET /health/leader over HTTPS (the allocators
# serve TLS; Azure does not check the certificate), which only the leader answers with 200.
resource "azurerm_lb" "allocators" {
  count               = local.ha ? 1 : 0
  name                = "${var.cluster_name}-alloc-lb"
  location            = azurerm_resource_group.cluster.location
  resource_group_name = azurerm_resource_group.cluster.name
  sku                 = "Standard"
  tags                = local.tags

  frontend_ip_configuration {
    name                          = "allocators"
    subnet_id                     = azurerm_subnet.nodes.id
    private_ip_address_allocation = "Static"
    private_ip_address            = local.balancer_ip
  }
}

resource "azurerm_lb_backend_address_pool" "allocators" {
  count           = local.ha ? 1 : 0
  name            = "allocators"
  loadbalancer_id = azurerm_lb.allocators[0].id
}

resource "azurerm_lb_probe" "leader" {
  count               = local.ha ? 1 : 0
  name                = "leader"
  loadbalancer_id     = azurerm_lb.allocators[0].id
  protocol            = "Https"
  port                = var.allocator_port
  request_path        = "/health/leader"
  interval_in_seconds = 5
}

resource "azurerm_lb_rule" "allocators" {
  count                          = local.ha ? 1 : 0
  name                           = "allocator"
  loadbalancer_id                = azurerm_lb.allocators[0].id
  protocol                       = "Tcp"
  frontend_port                  = var.allocator_port
  backend_port                   = var.allocator_port
  frontend_ip_configuration_name = "allocators"
  backend_address_pool_ids       = [azurerm_lb_backend_address_pool.allocators[0].id]
  probe_id                       = azurerm_lb_probe.leader[0].id
}

resource "azurerm_network_interface_backend_address_pool_association" "allocators" {
  count                   = local.ha ? var.allocator_count : 0
  network_interface_id    = azurerm_network_interface.allocator[count.index].id
  ip_configuration_name   = "primary"
  backend_address_pool_id = azurerm_lb_backend_address_pool.allocators[0].id
}

resource "azurerm_linux_virtual_machine_scale_set" "pool" {
  for_each             = local.linux_pools
  name                 = "${var.cluster_name}-${each.key}"
  location             = azurerm_resource_group.cluster.location
  resource_group_name  = azurerm_resource_group.cluster.name
  sku                  = each.value.size
  instances            = each.value.count
  admin_username       = var.admin_user
  computer_name_prefix = "${var.cluster_name}-${each.key}-"
  custom_data          = base64encode(local.linux_cloud_init[each.key])
  priority             = each.value.spot ? "Spot" : "Regular"
  eviction_policy      = each.value.spot ? "Delete" : null
  max_bid_price        = each.value.spot ? -1 : null
  upgrade_mode         = "Manual"
  tags                 = merge(local.tags, { "strata-pool" = each.key })

  admin_ssh_key {
    username   = var.admin_user
    public_key = var.ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb         = each.value.disk_gb
  }

  source_image_reference {
    publisher = split(":", each.value.image)[0]
    offer     = split(":", each.value.image)[1]
    sku       = split(":", each.value.image)[2]
    version   = split(":", each.value.image)[3]
  }

  network_interface {
    name    = "primary"
    primary = true

    ip_configuration {
      name      = "primary"
      primary   = true
      subnet_id = azurerm_subnet.nodes.id
    }
  }

  depends_on = [azurerm_subnet_nat_gateway_association.nodes, azurerm_linux_virtual_machine.allocator]
}

resource "azurerm_windows_virtual_machine_scale_set" "pool" {
  for_each             = local.windows_pools
  name                 = "${var.cluster_name}-${each.key}"
  location             = azurerm_resource_group.cluster.location
  resource_group_name  = azurerm_resource_group.cluster.name
  sku                  = each.value.size
  instances            = each.value.count
  admin_username       = var.admin_user
  admin_password       = var.windows_admin_password
  computer_name_prefix = substr(each.key, 0, 9)
  priority             = each.value.spot ? "Spot" : "Regular"
  eviction_policy      = each.value.spot ? "Delete" : null
  max_bid_price        = each.value.spot ? -1 : null
  upgrade_mode         = "Manual"
  tags                 = merge(local.tags, { "strata-pool" = each.key })

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "StandardSSD_LRS"
    disk_size_gb         = each.value.disk_gb
  }

  source_image_reference {
    publisher = split(":", each.value.image)[0]
    offer     = split(":", each.value.image)[1]
    sku       = split(":", each.value.image)[2]
    version   = split(":", each.value.image)[3]
  }

  network_interface {
    name    = "primary"
    primary = true

    ip_configuration {
      name      = "primary"
      primary   = true
      subnet_id = azurerm_subnet.nodes.id
    }
  }

  extension {
    name                       = "strata-bootstrap"
    publisher                  = "Microsoft.Compute"
    type                       = "CustomScriptExtension"
    type_handler_version       = "1.10"
    auto_upgrade_minor_version = true
    protected_settings = jsonencode({
      commandToExecute = local.windows_bootstrap_command[each.key]
    })
  }

  lifecycle {
    precondition {
      condition     = var.windows_admin_password != null
      error_message = "windows_admin_password is required when a pool runs Windows."
    }

    precondition {
      condition     = length(local.windows_bootstrap_command[each.key]) <= 8191
      error_message = "The Windows bootstrap command is longer than cmd.exe's 8191 characters: shorten the attributes or the CA certificate."
    }
  }

  depends_on = [azurerm_subnet_nat_gateway_association.nodes, azurerm_linux_virtual_machine.allocator]
}

# The scale sets' instances, read back for their private addresses.
data "azurerm_virtual_machine_scale_set" "pool" {
  for_each            = local.pools
  name                = "${var.cluster_name}-${each.key}"
  resource_group_name = azurerm_resource_group.cluster.name

  depends_on = [azurerm_linux_virtual_machine_scale_set.pool, azurerm_windows_virtual_machine_scale_set.pool]
}

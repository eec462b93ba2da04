# Each variable means what the provisioner's cluster-spec field of the same name means
# (snake_case here, camelCase in cluster.yaml); README.md maps them one to one.

variable "cluster_name" {
  type        = string
  description = "The cluster's name (spec: name). Prefixes every resource name and is the value of the strata-cluster tag on every resource."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 3-32 lowercase letters, digits and dashes, starting with a letter and not ending with a dash."
  }
}

variable "location" {
  type        = string
  description = "The OpenStack region (spec: location), e.g. RegionOne."

  validation {
    condition     = length(var.location) > 0
    error_message = "location must name an OpenStack region."
  }
}

variable "external_network" {
  type        = string
  description = "The provider network the router uplinks to and the allocator's floating IP comes from (spec: openstack.externalNetwork)."

  validation {
    condition     = length(var.external_network) > 0
    error_message = "external_network must name the external (provider) network."
  }
}

variable "strata_version" {
  type        = string
  description = "The Strata version the machines install (spec: strataVersion); it names the install directory."
  default     = "0.1.0"

  validation {
    condition     = can(regex("^[0-9A-Za-z._+-]+$", var.strata_version))
    error_message = "strata_version must be a version such as 0.1.0 (letters, digits and ._+-)."
  }
}

variable "artifact_url" {
  type        = string
  description = "Where the machines download the Strata distribution (spec: artifactUrl): a .tar.gz whose top directory holds bin/ and lib/."

  validation {
    condition     = can(regex("^https?://\\S+$", var.artifact_url))
    error_message = "artifact_url must be an http(s) URL without spaces."
  }
}

variable "artifact_sha256" {
  type        = string
  description = "The distribution archive's SHA-256 in hex (spec: artifactSha256); empty skips the check."
  default     = ""

  validation {
    condition     = can(regex("^([0-9a-fA-F]{64})?$", var.artifact_sha256))
    error_message = "artifact_sha256 must be 64 hex digits, or empty."
  }
}

variable "allocator_count" {
  type        = number
  description = "How many allocator machines (spec: allocator.count): 1, or an HA group of 3 or 5 whose machines each run a ZooKeeper server of one ensemble and an allocator keeping its state there."
  default     = 1

  validation {
    condition     = contains([1, 3, 5], var.allocator_count)
    error_message = "allocator_count must be 1, 3 or 5: an even ensemble tolerates no more failures than the odd one below it, and 7 or more only slow every write."
  }
}

variable "allocator_size" {
  type        = string
  description = "The allocator's flavor (spec: allocator.size), e.g. m1.medium."

  validation {
    condition     = length(var.allocator_size) > 0
    error_message = "allocator_size must name a flavor."
  }
}

variable "allocator_image" {
  type        = string
  description = "The allocator's image name (spec: allocator.image); a Debian/Ubuntu image with cloud-init and openjdk-21-jre-headless."

  validation {
    condition     = length(var.allocator_image) > 0
    error_message = "allocator_image must name an image."
  }
}

variable "allocator_disk_gb" {
  type        = number
  description = "The allocator's OS disk size in GiB (spec: allocator.diskGb)."
  default     = 30

  validation {
    condition     = var.allocator_disk_gb >= 8 && var.allocator_disk_gb <= 4096
    error_message = "allocator_disk_gb must be between 8 and 4096."
  }
}

variable "allocator_port" {
  type        = number
  description = "The allocator's HTTPS port (spec: allocator.port)."
  default     = 5050

  validation {
    condition     = var.allocator_port >= 1024 && var.allocator_port <= 65535 && floor(var.allocator_port) == var.allocator_port
    error_message = "allocator_port must be an integer between 1024 and 65535."
  }
}

variable "pools" {
  type = list(object({
    name       = string
    os         = string
    count      = number
    size       = string
    image      = string
    disk_gb    = optional(number, 64)
    attributes = optional(map(string), {})
    spot       = optional(bool, false)
  }))
  description = "The agent pools (spec: pools): name, os (linux or windows), count, flavor, image name (Windows images boot with cloudbase-init), boot volume in GiB, agent attributes; spot must stay false (OpenStack has no spot capacity). Each node is one server."

  validation {
    condition     = length(var.pools) > 0
    error_message = "pools must hold at least one pool."
  }

  validation {
    condition     = alltrue([for p in var.pools : can(regex("^[a-z][a-z0-9-]{0,19}$", p.name)) && p.name != "alloc"])
    error_message = "Every pool name must be 1-20 lowercase letters, digits and dashes, starting with a letter; 'alloc' is reserved."
  }

  validation {
    condition     = length(distinct([for p in var.pools : p.name])) == length(var.pools)
    error_message = "Pool names must be unique."
  }

  validation {
    condition     = alltrue([for p in var.pools : contains(["linux", "windows"], p.os)])
    error_message = "Every pool's os must be linux or windows."
  }

  validation {
    condition     = alltrue([for p in var.pools : p.count >= 0 && p.count <= 1000 && floor(p.count) == p.count])
    error_message = "Every pool's count must be an integer between 0 and 1000."
  }

  validation {
    condition     = alltrue([for p in var.pools : p.disk_gb >= 8 && p.disk_gb <= 4096])
    error_message = "Every pool's disk_gb must be between 8 and 4096."
  }

  validation {
    condition     = alltrue([for p in var.pools : length(p.size) > 0 && length(p.image) > 0])
    error_message = "Every pool needs a flavor (size) and an image name."
  }

  validation {
    condition     = alltrue([for p in var.pools : !p.spot])
    error_message = "OpenStack has no spot capacity: spot must be false."
  }

  validation {
    condition     = alltrue(flatten([for p in var.pools : [for k, v in p.attributes : can(regex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$", k))]]))
    error_message = "Attribute keys must be 1-128 letters, digits and ._/-, starting with a letter or digit."
  }
}

variable "address_space" {
  type        = string
  description = "The cluster network's IPv4 CIDR (spec: network.addressSpace); nodes use its first /24 and the allocator its .10 address."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.address_space, 0)) && can(regex("^[0-9.]+/([0-9]|1[0-9]|2[0-4])$", var.address_space))
    error_message = "address_space must be an IPv4 CIDR of /24 or larger, such as 10.40.0.0/16."
  }
}

variable "admin_cidrs" {
  type        = list(string)
  description = "Who may reach SSH, RDP and the allocator's API from outside (spec: network.adminCidrs); empty closes them all."
  default     = []

  validation {
    condition     = alltrue([for c in var.admin_cidrs : can(cidrhost(c, 0)) && can(regex("^[0-9.]+/[0-9]+$", c))])
    error_message = "Every admin_cidrs entry must be an IPv4 CIDR such as 203.0.113.0/24."
  }
}


variable "ssh_public_key" {
  type        = string
  description = "The OpenSSH public key that logs in as admin_user on Linux machines (spec: access.sshPublicKey, which names a file holding it)."

  validation {
    condition     = can(regex("^(ssh-(rsa|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+", var.ssh_public_key))
    error_message = "ssh_public_key must be an OpenSSH public key (ssh-rsa, ssh-ed25519 or ecdsa-sha2-*)."
  }
}

variable "dns_nameservers" {
  type        = list(string)
  description = "DNS servers handed to the nodes by the subnet's DHCP (no spec field); empty keeps the cloud's default."
  default     = []

  validation {
    condition     = alltrue([for ip in var.dns_nameservers : can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", ip))])
    error_message = "Every dns_nameservers entry must be an IPv4 address."
  }
}

variable "cluster_ca_pem" {
  type        = string
  description = "The cluster CA certificate (PEM) that the allocator and the agents trust; the provisioner creates it at apply time (no spec field)."

  validation {
    condition     = can(regex("-----BEGIN CERTIFICATE-----", var.cluster_ca_pem))
    error_message = "cluster_ca_pem must be a PEM certificate."
  }
}

variable "cluster_ca_key_pem" {
  type        = string
  description = "The cluster CA's private key (PEM); the allocator issues per-agent certificates with it. Created by the provisioner at apply time (no spec field)."
  sensitive   = true

  validation {
    condition     = can(regex("PRIVATE KEY-----", var.cluster_ca_key_pem))
    error_message = "cluster_ca_key_pem must be a PEM private key."
  }
}

variable "join_token" {
  type        = string
  description = "The short-lived bootstrap token agents present once to get their own credentials. Created by the provisioner at apply time (no spec field); rotate it to add nodes after join_token_expires_at."
  sensitive   = true

  validation {
    condition     = can(regex("^\\S{32,}$", var.join_token))
    error_message = "join_token must be at least 32 characters without whitespace."
  }
}

variable "join_token_expires_at" {
  type        = string
  description = "When the allocator stops accepting join_token (RFC 3339). Set by the provisioner at apply time (no spec field)."

  validation {
    condition     = can(formatdate("YYYY", var.join_token_expires_at))
    error_message = "join_token_expires_at must be an RFC 3339 timestamp such as 2030-01-01T00:00:00Z."
  }
}

variable "operator_token" {
  type        = string
  description = "The token of the allocator's admin principal (operator, every role), written to /etc/strata/operator-token. Created by the provisioner at apply time and kept in its state file (no spec field)."
  sensitive   = true

  validation {
    condition     = can(regex("^\\S{32,}$", var.operator_token))
    error_message = "operator_token must be at least 32 characters without whitespace."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra metadata for every server and key=value tags for every network resource (no spec field: the provisioner tags with strata-cluster only, which this module always adds)."
  default     = {}
}

variable "location" {
  type        = string
  description = "The OpenStack region (spec: location)."
  default     = "RegionOne"
}

variable "external_network" {
  type        = string
  description = "The external network for the router and the floating IP (spec: openstack.externalNetwork)."
  default     = "public"
}

variable "admin_cidrs" {
  type        = list(string)
  description = "Who may reach SSH, RDP and the allocator's API (spec: network.adminCidrs)."
  default     = []
}

variable "ssh_public_key" {
  type        = string
  description = "The OpenSSH public key of the keypair (spec: access.sshPublicKey)."
}

variable "artifact_url" {
  type        = string
  description = "Where the machines download the Strata distribution (spec: artifactUrl)."
  default     = "https://downloads.example.com/strata/0.1.0/strata-0.1.0.tar.gz"
}

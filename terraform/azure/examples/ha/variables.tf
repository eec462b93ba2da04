variable "subscription_id" {
  type        = string
  description = "The Azure subscription that pays for the cluster (spec: azure.subscriptionId)."
}

variable "location" {
  type        = string
  description = "The Azure location (spec: location)."
  default     = "westeurope"
}

variable "admin_cidrs" {
  type        = list(string)
  description = "Who may reach SSH, RDP and the allocator's API (spec: network.adminCidrs)."
  default     = []
}

variable "ssh_public_key" {
  type        = string
  description = "The OpenSSH public key for the Linux machines (spec: access.sshPublicKey)."
}

variable "windows_admin_password" {
  type        = string
  description = "The Windows admin password (spec: access.windowsAdminPassword)."
  sensitive   = true
}

variable "artifact_url" {
  type        = string
  description = "Where the machines download the Strata distribution (spec: artifactUrl)."
  default     = "https://downloads.example.com/strata/0.1.0/strata-0.1.0.tar.gz"
}

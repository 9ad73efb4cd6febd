variable "ocp_url" {
  description = "OCP's base URL, e.g. https://ocp.example.com:8080. Null: the OCP_URL environment variable."
  type        = string
  default     = null
}

variable "ocp_username" {
  description = "OCP user for HTTP Basic authentication. Null: OCP_USERNAME (or use OCP_ACCESS_KEY_ID/OCP_ACCESS_KEY_SECRET). Its password comes from OCP_PASSWORD only."
  type        = string
  default     = null
}

variable "home_site" {
  description = "The tenant that is PRIMARY in normal operation: its OCP cluster and tenant id."
  type = object({
    cluster_id = number
    tenant_id  = number
  })
}

variable "dr_site" {
  description = "The standby tenant at the DR site, which becomes PRIMARY during the drill."
  type = object({
    cluster_id = number
    tenant_id  = number
  })
}

variable "drill_active" {
  description = "true: the DR site is PRIMARY (the drill). false: the home site is PRIMARY (normal operation, and how you switch back)."
  type        = bool
  default     = false
}

variable "allow_warnings" {
  description = "Whether precheck warnings (e.g. OBE26107, the tenants behind different OBProxy clusters) let the switchover proceed."
  type        = bool
  default     = true
}

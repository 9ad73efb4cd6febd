variable "clusters" {
  description = "IDs of OCP clusters to read: a primary and its standby cluster show both sides of the relation."
  type        = list(number)
  default     = []
}

variable "tenants" {
  description = "Tenants to read: a primary and its standby show the DR fields of both."
  type = list(object({
    cluster_id = number
    tenant_id  = number
  }))
  default = []
}

variable "task_id" {
  description = "A task whose detail to read (a past switchover or failover is best); null takes the first task OCP lists."
  type        = number
  default     = null
}

variable "precheck" {
  description = "A primary tenant and its standby to run OCP's switchover precheck for: a POST that changes nothing, sent only when this is set."
  type = object({
    cluster_id        = number
    tenant_id         = number
    standby_tenant_id = number
  })
  default = null
}

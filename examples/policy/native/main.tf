# The rule of ../switchover.rego written in Terraform itself, for teams without OPA or Sentinel:
#   1. the plan reads OCP's switchover precheck for the pair that the switchover names, and
#   2. the switchover is refused when that precheck blocks it (valid = false, or any error).
# Unlike a policy on the saved plan, these conditions run inside terraform plan and apply.
terraform {
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

variable "primary" {
  description = "The tenant that should be PRIMARY after apply."
  type = object({
    cluster_id = number
    tenant_id  = number
  })
}

variable "standby" {
  description = "The tenant that should be STANDBY after apply."
  type = object({
    cluster_id = number
    tenant_id  = number
  })
}

# OCP's precheck is asked for the tenants in their current roles, so read the roles first.
data "ocp_tenant" "primary" {
  cluster_id = var.primary.cluster_id
  tenant_id  = var.primary.tenant_id
}

data "ocp_tenant" "standby" {
  cluster_id = var.standby.cluster_id
  tenant_id  = var.standby.tenant_id
}

locals {
  # Already as declared: the precheck looks at the switch back; otherwise at the switchover this plan makes.
  as_declared     = data.ocp_tenant.primary.tenant_role == "PRIMARY"
  current_primary = local.as_declared ? var.primary : var.standby
  current_standby = local.as_declared ? var.standby : var.primary
}

data "ocp_switchover_precheck" "pair" {
  cluster_id        = local.current_primary.cluster_id
  tenant_id         = local.current_primary.tenant_id
  standby_tenant_id = local.current_standby.tenant_id

  lifecycle {
    # Rule 2: a blocking precheck fails the plan.
    postcondition {
      condition     = self.valid && length(self.errors) == 0
      error_message = "OCP's switchover precheck blocks the switchover of tenants ${self.tenant_id} and ${self.standby_tenant_id}: ${join("; ", self.errors)}"
    }
  }
}

resource "ocp_tenant_switchover" "this" {
  primary = var.primary
  standby = var.standby

  lifecycle {
    # Rule 1: the precheck read is the one of this pair. Referring to the data source also makes Terraform
    # read it before planning this resource; if its arguments were unknown at plan time, Terraform reads
    # it during apply and this condition (and the postcondition above) run then, before the switchover.
    precondition {
      condition = (
        sort([data.ocp_switchover_precheck.pair.tenant_id, data.ocp_switchover_precheck.pair.standby_tenant_id]) ==
        sort([var.primary.tenant_id, var.standby.tenant_id])
      )
      error_message = "The switchover precheck was read for another pair of tenants than the switchover's."
    }
  }
}

# The rule of ../switchover.rego written in Terraform itself, for teams without OPA or Sentinel:
#   1. the plan reads OCP's switchover precheck for the pair that the switchover names, and
#   2. a plan whose apply starts a switchover (planned_action "switchover ...") is refused when that precheck
#      blocks it (valid = false, or any error). A plan that switches nothing passes whatever the precheck
#      of the switch back says.
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
}

locals {
  precheck_passes = data.ocp_switchover_precheck.pair.valid && length(data.ocp_switchover_precheck.pair.errors) == 0
}

resource "ocp_tenant_switchover" "this" {
  primary = var.primary
  standby = var.standby

  lifecycle {
    # Rule 1: the precheck read is the one of this pair. Referring to the data source also makes Terraform
    # read it before planning this resource.
    precondition {
      condition = (
        sort([data.ocp_switchover_precheck.pair.tenant_id, data.ocp_switchover_precheck.pair.standby_tenant_id]) ==
        sort([var.primary.tenant_id, var.standby.tenant_id])
      )
      error_message = "The switchover precheck was read for another pair of tenants than the switchover's."
    }

    # Rule 2: checked as soon as Terraform has planned this resource, before anything is applied. A switchover
    # starts from the tenant that is PRIMARY now, the precheck's tenant_id ("switchover <name> (<id>) -> ...").
    # After the apply the state keeps its last planned_action, whose first tenant is then the standby, so the
    # plans that follow (which switch nothing) are not held to the precheck of the switch back.
    # planned_action is known at plan time because the tenants come from variables; when they come from
    # resources applied in the same run it is not, and Terraform would check this only after apply: use the
    # policy on the saved plan (../switchover.rego) then.
    postcondition {
      condition = local.precheck_passes || !can(regex(
        "^switchover .*\\(${data.ocp_switchover_precheck.pair.tenant_id}\\) -> ", coalesce(self.planned_action, "none")
      ))
      error_message = "The plan starts a switchover (${self.planned_action}) that OCP's switchover precheck blocks: ${join("; ", data.ocp_switchover_precheck.pair.errors)}"
    }
  }
}

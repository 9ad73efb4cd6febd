# The DR drill `make demo` runs against the built-in OCP simulator. The provider reads its URL and
# credentials from OCP_URL, OCP_USERNAME and OCP_PASSWORD, which the demo script sets.
#
#   terraform plan  -out drill.tfplan          # drill_active = true: ohayo_2 should become PRIMARY
#   terraform apply drill.tfplan               # switchover, waits for OCP's task, confirms the roles
#   terraform plan  -detailed-exitcode         # exit code 0: nothing left to do
#   terraform apply -var drill_active=false    # switch back: the same edit reversed
terraform {
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

provider "ocp" {}

variable "drill_active" {
  description = "true: the DR site (ohayo_2 on OB424_A) is PRIMARY; false: the home site (ohayo_1 on OB42_B) is."
  type        = bool
  default     = true
}

locals {
  home = { cluster_id = 3000009, tenant_id = 2000022 } # ohayo_1, PRIMARY in normal operation
  dr   = { cluster_id = 3000010, tenant_id = 2000025 } # ohayo_2, its STANDBY

  want_primary = var.drill_active ? local.dr : local.home
  want_standby = var.drill_active ? local.home : local.dr

  # OCP's precheck is asked for the tenants in their CURRENT roles, read at plan time.
  home_is_primary = data.ocp_tenant.home.tenant_role == "PRIMARY"
  current_primary = local.home_is_primary ? local.home : local.dr
  current_standby = local.home_is_primary ? local.dr : local.home
}

data "ocp_tenant" "home" {
  cluster_id = local.home.cluster_id
  tenant_id  = local.home.tenant_id
}

# The precheck of switching the current primary over to its standby: read-only, on every plan.
data "ocp_switchover_precheck" "pair" {
  cluster_id        = local.current_primary.cluster_id
  tenant_id         = local.current_primary.tenant_id
  standby_tenant_id = local.current_standby.tenant_id
}

resource "ocp_tenant_switchover" "ohayo" {
  primary = local.want_primary
  standby = local.want_standby

  timeouts {
    create = "5m"
    update = "5m"
  }
}

output "precheck" {
  description = "OCP's switchover precheck of the pair, for the tenants in their roles at plan time."
  value = {
    tenants = sort([
      "${data.ocp_switchover_precheck.pair.name} (${data.ocp_switchover_precheck.pair.cluster_name})",
      "${data.ocp_switchover_precheck.pair.standby_check_results[0].name} (${data.ocp_switchover_precheck.pair.standby_check_results[0].cluster_name})",
    ])
    valid    = data.ocp_switchover_precheck.pair.valid
    errors   = data.ocp_switchover_precheck.pair.errors
    warnings = data.ocp_switchover_precheck.pair.warnings
  }
}

output "roles" {
  description = "The roles OCP reports after apply (read back by the resource)."
  value = {
    primary = "${ocp_tenant_switchover.ohayo.primary.name} is ${ocp_tenant_switchover.ohayo.primary.role}"
    standby = "${ocp_tenant_switchover.ohayo.standby.name} is ${ocp_tenant_switchover.ohayo.standby.role}"
    task    = ocp_tenant_switchover.ohayo.task_id == null ? "none" : "${ocp_tenant_switchover.ohayo.task_id} ${ocp_tenant_switchover.ohayo.task_status}"
  }
}

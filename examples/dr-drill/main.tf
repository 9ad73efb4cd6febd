# A DR drill for one OceanBase primary/standby tenant pair, as code.
#
#   terraform plan -var drill_active=true -out tfplan   # shows the switchover; OCP's precheck runs now
#   terraform apply tfplan                              # switches over, waits for OCP's task, verifies the roles
#   terraform plan -var drill_active=false -out tfplan  # switch back: the same edit reversed
#   terraform apply tfplan
#
# See the guide "Run a DR drill" for the pipeline version with a policy check on the saved plan.

locals {
  # The roles the drill wants.
  want_primary = var.drill_active ? var.dr_site : var.home_site
  want_standby = var.drill_active ? var.home_site : var.dr_site

  # The roles OCP reports now (read at plan time).
  home_is_primary = data.ocp_tenant.home.tenant_role == "PRIMARY"
  current_primary = local.home_is_primary ? data.ocp_tenant.home : data.ocp_tenant.dr
  current_standby = local.home_is_primary ? data.ocp_tenant.dr : data.ocp_tenant.home

  # Whether this apply switches the pair over.
  switch_needed = local.current_primary.tenant_id != local.want_primary.tenant_id
}

data "ocp_tenant" "home" {
  cluster_id = var.home_site.cluster_id
  tenant_id  = var.home_site.tenant_id
}

data "ocp_tenant" "dr" {
  cluster_id = var.dr_site.cluster_id
  tenant_id  = var.dr_site.tenant_id
}

# OCP's switchover precheck, for the tenants in their current roles. It changes nothing and runs on every
# plan, so the saved plan (terraform show -json) carries its answer for policy checks.
data "ocp_switchover_precheck" "pair" {
  cluster_id        = local.current_primary.cluster_id
  tenant_id         = local.current_primary.tenant_id
  standby_tenant_id = local.current_standby.tenant_id

  lifecycle {
    postcondition {
      condition     = !local.switch_needed || (self.valid && length(self.errors) == 0)
      error_message = "OCP's switchover precheck blocks the drill: ${join("; ", self.errors)}"
    }
  }
}

resource "ocp_tenant_switchover" "drill" {
  primary        = local.want_primary
  standby        = local.want_standby
  allow_warnings = var.allow_warnings

  timeouts {
    create = "60m"
    update = "60m"
  }

  lifecycle {
    # The precheck read above must be the one of this pair.
    precondition {
      condition = (
        sort([data.ocp_switchover_precheck.pair.tenant_id, data.ocp_switchover_precheck.pair.standby_tenant_id]) ==
        sort([local.want_primary.tenant_id, local.want_standby.tenant_id])
      )
      error_message = "The precheck was read for another pair of tenants than the switchover."
    }
  }
}

# Verification: read both tenants again from OCP after the switchover has been applied (the references to
# the resource make Terraform read them after it), and fail the apply unless OCP reports the roles wanted.
data "ocp_tenant" "after_primary" {
  cluster_id = ocp_tenant_switchover.drill.primary.cluster_id
  tenant_id  = ocp_tenant_switchover.drill.primary.tenant_id

  lifecycle {
    postcondition {
      condition     = self.tenant_role == "PRIMARY" && self.status == "NORMAL"
      error_message = "After the switchover OCP reports tenant ${self.name} (${self.tenant_id}) as ${self.tenant_role}/${self.status}, not PRIMARY/NORMAL."
    }
  }
}

data "ocp_tenant" "after_standby" {
  cluster_id = ocp_tenant_switchover.drill.standby.cluster_id
  tenant_id  = ocp_tenant_switchover.drill.standby.tenant_id

  lifecycle {
    postcondition {
      condition     = self.tenant_role == "STANDBY" && self.primary_tenant_id == ocp_tenant_switchover.drill.primary.tenant_id
      error_message = "After the switchover OCP reports tenant ${self.name} (${self.tenant_id}) as ${self.tenant_role}, following primary ${coalesce(self.primary_tenant_id, "none")}, not as the STANDBY of tenant ${ocp_tenant_switchover.drill.primary.tenant_id}."
    }
  }
}

# The pair: tenant 2000022 (cluster 3000009) and tenant 2000025 (cluster 3000010). OCP's precheck asks
# "may this PRIMARY switch over to this STANDBY?", so it is read for the roles the tenants have NOW: before a
# drill that is 2000022 -> 2000025, after it the switch back, 2000025 -> 2000022. With fixed ids instead, every
# plan after a switchover would read the precheck of a primary that is no longer primary, and fail.
data "ocp_tenant" "orders_a" {
  cluster_id = 3000009
  tenant_id  = 2000022
}

data "ocp_tenant" "orders_b" {
  cluster_id = 3000010
  tenant_id  = 2000025
}

locals {
  orders_primary = data.ocp_tenant.orders_a.tenant_role == "PRIMARY" ? data.ocp_tenant.orders_a : data.ocp_tenant.orders_b
  orders_standby = data.ocp_tenant.orders_a.tenant_role == "PRIMARY" ? data.ocp_tenant.orders_b : data.ocp_tenant.orders_a
}

# The precheck changes nothing; a blocked switchover is data (valid = false), not an error.
data "ocp_switchover_precheck" "orders" {
  cluster_id        = local.orders_primary.cluster_id # the current primary's cluster
  tenant_id         = local.orders_primary.tenant_id  # the current primary
  standby_tenant_id = local.orders_standby.tenant_id  # its standby

  lifecycle {
    # Fail the plan when OCP would refuse the switchover; warnings (such as OBE26107) pass.
    postcondition {
      condition     = self.valid
      error_message = "OCP's switchover precheck blocks the switchover: ${join("; ", self.errors)}"
    }
  }
}

output "precheck" {
  value = {
    primary  = "${data.ocp_switchover_precheck.orders.name} (${data.ocp_switchover_precheck.orders.tenant_id})"
    standby  = data.ocp_switchover_precheck.orders.standby_check_results[0].name
    valid    = data.ocp_switchover_precheck.orders.valid
    errors   = data.ocp_switchover_precheck.orders.errors   # ["OBE26009: This operation is not allowed because …"]
    warnings = data.ocp_switchover_precheck.orders.warnings # ["OBE26107: Automatic routing cannot be implemented …"]
  }
}

# Ask OCP whether primary tenant 2000022 (cluster 3000009) can switch over to its standby 2000025.
# The precheck changes nothing; a blocked switchover is data (valid = false), not an error.
data "ocp_switchover_precheck" "orders" {
  cluster_id        = 3000009 # the primary's cluster
  tenant_id         = 2000022 # the primary
  standby_tenant_id = 2000025 # the standby

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
    valid    = data.ocp_switchover_precheck.orders.valid
    errors   = data.ocp_switchover_precheck.orders.errors   # ["OBE26009: This operation is not allowed because …"]
    warnings = data.ocp_switchover_precheck.orders.warnings # ["OBE26107: Automatic routing cannot be implemented …"]
    standby  = data.ocp_switchover_precheck.orders.standby_check_results[0].name
  }
}

# Checks the provider's assumptions about OCP's API against a primary/standby tenant pair and a standby
# cluster. Read-only: GET requests, and no precheck unless the precheck argument is set.
data "ocp_api_compatibility" "check" {
  clusters = [3000012]
  tenants = [
    { cluster_id = 3000009, tenant_id = 2000022 },
    { cluster_id = 3000010, tenant_id = 2000025 },
  ]

  # Fail the plan when OCP does not report tenant roles, without which no switchover can be decided.
  lifecycle {
    postcondition {
      condition     = !contains(self.not_held, "tenant.role")
      error_message = "OCP's tenant detail carries no tenantRole: see the API compatibility guide."
    }
  }
}

output "compatibility" {
  value = data.ocp_api_compatibility.check.table
}

# Declare which tenant of the pair is PRIMARY. Today tenant 2000022 on cluster 3000009 is the primary and
# 2000025 on cluster 3000010 its standby; applying this switches them over: OCP's precheck runs at plan
# time, apply starts the switchover task, waits for it and confirms the new roles.
resource "ocp_tenant_switchover" "orders" {
  primary = { cluster_id = 3000010, tenant_id = 2000025 } # should be PRIMARY after apply
  standby = { cluster_id = 3000009, tenant_id = 2000022 } # should be STANDBY after apply

  # Precheck warnings (for example OBE26107) are shown and let the switchover proceed; false makes them errors.
  allow_warnings = true

  timeouts {
    create = "60m"
    update = "60m"
  }
}

# To switch back, swap primary and standby and apply again: an in-place update of the same resource.
# Destroying the resource calls no API; the tenants keep their roles.

output "orders_primary" {
  value = "${ocp_tenant_switchover.orders.primary.name} (${ocp_tenant_switchover.orders.primary.role}), task ${coalesce(ocp_tenant_switchover.orders.task_id, 0)} ${coalesce(ocp_tenant_switchover.orders.task_status, "none")}"
}

# Fail over the standby tenants of cluster 3000014 to primary: one OCP request starts a failover task per
# tenant, and apply waits for all of them (subtask progress with TF_LOG=INFO). The plan warns that a
# failover may lose data and shows each standby's current log delay as the estimated loss window.
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014 # the standbys' cluster, not the primary's
  tenants = [
    { tenant_id = 2000132, service_name = "orders" },
    { tenant_id = 2000133 },
  ]

  # Any change replaces the resource, which runs the failover again (for a repeated drill).
  triggers = { drill = "2026-11-21" }

  timeouts {
    create = "60m"
  }
}

# A tenant that is already PRIMARY is not failed over again ("ALREADY_PRIMARY"). If one tenant of the
# batch fails, the others are recorded, the apply fails naming it, and the next apply fails over only
# what is left. Destroying the resource calls no API: roles stay as they are.

output "failover_tasks" {
  value = { for t in ocp_tenant_failover.dr.tasks : t.tenant_id => "${t.status} (task ${coalesce(t.task_id, 0)})" }
}

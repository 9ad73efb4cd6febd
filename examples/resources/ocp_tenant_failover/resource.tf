# Fail over the standby tenants of cluster 3000014 to primary: one OCP request starts a failover task per
# tenant, and apply waits for all of them (subtask progress with TF_LOG=INFO). The plan warns that a
# failover may lose data and shows each standby's current log delay as the estimated loss window.
resource "ocp_tenant_failover" "dr" {
  cluster_id = 3000014 # the standbys' cluster, not the primary's
  tenants = [
    { tenant_id = 2000132, service_name = "orders" },
    { tenant_id = 2000133 },
  ]

  # tenants is a set: its order does not matter, and adding a tenant later fails over only that tenant.
  # Changing triggers (or cluster_id) replaces the resource, which runs the whole failover again (a repeated drill).
  triggers = { drill = "2026-11-21" }

  timeouts {
    create = "60m"
  }
}

# A tenant that is already PRIMARY through an earlier failover is not failed over again ("ALREADY_PRIMARY"); one
# that is PRIMARY without ever having been failed over is an error (it is not a standby). OCP refuses a failover
# while the standby's primary is alive. If one tenant of the batch fails, the others are recorded, the apply fails
# naming it, and the next apply fails over only what is left. Destroying the resource calls no API.

output "failover_tasks" {
  value = { for t in ocp_tenant_failover.dr.tasks : t.tenant_id => "${t.status} (task ${coalesce(t.task_id, 0)})" }
}

# Fail the standby cluster 3000012 over to primary and wait for the task. A cluster that is already
# PRIMARY is left alone (status "ALREADY_PRIMARY"); a failover task already running is waited on.
resource "ocp_cluster_failover" "dr" {
  cluster_id = 3000012

  # Any change replaces the resource, which runs the failover again.
  triggers = { drill = "2026-11-21" }

  timeouts {
    create = "60m"
  }
}

# Destroying the resource calls no API: the cluster stays PRIMARY.

output "cluster_failover" {
  value = "${ocp_cluster_failover.dr.status} (task ${coalesce(ocp_cluster_failover.dr.task_id, 0)}) at ${ocp_cluster_failover.dr.completed_at}"
}

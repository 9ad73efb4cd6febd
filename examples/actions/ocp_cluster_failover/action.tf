# Terraform >= 1.14. Fail the standby cluster 3000012 over to primary on demand:
#
#   terraform apply -invoke=action.ocp_cluster_failover.dr
#
# A cluster that is already PRIMARY is left alone; a failover task already running is waited on.
action "ocp_cluster_failover" "dr" {
  config {
    cluster_id = 3000012
    timeouts {
      invoke = "60m"
    }
  }
}

# Or run it after a resource is created, for example the record of a declared disaster.
resource "terraform_data" "disaster" {
  input = "dc1-lost"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.ocp_cluster_failover.dr]
    }
  }
}

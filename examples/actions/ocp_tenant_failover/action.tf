# Terraform >= 1.14. Fail over standby tenants of cluster 3000014 on demand, without keeping state:
#
#   terraform plan  -invoke=action.ocp_tenant_failover.dr   # plan-time checks and the data-loss warning
#   terraform apply -invoke=action.ocp_tenant_failover.dr   # runs it; progress per subtask transition
#
# A tenant that is already PRIMARY is left alone; a failover task already running is waited on.
action "ocp_tenant_failover" "dr" {
  config {
    cluster_id = 3000014 # the standbys' cluster
    tenants = [
      { tenant_id = 2000132, service_name = "orders" },
      { tenant_id = 2000133 },
    ]
    timeouts {
      invoke = "60m"
    }
  }
}

# Or run it when a resource changes: here when the drill id changes.
variable "drill_id" {
  type    = string
  default = "2026-11-21"
}

resource "terraform_data" "dr_drill" {
  input = var.drill_id

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.ocp_tenant_failover.dr]
    }
  }
}

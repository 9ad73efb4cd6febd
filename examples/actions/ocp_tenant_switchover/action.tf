# Terraform >= 1.14. Switch the pair over once, so that tenant 2000025 (cluster 3000010) ends PRIMARY and
# 2000022 (cluster 3000009) STANDBY. OCP's precheck runs at plan time and again before the switchover:
#
#   terraform plan  -invoke=action.ocp_tenant_switchover.drill
#   terraform apply -invoke=action.ocp_tenant_switchover.drill
#
# When the roles already hold, nothing is started. To keep the roles declared instead, use the
# ocp_tenant_switchover resource.
action "ocp_tenant_switchover" "drill" {
  config {
    primary        = { cluster_id = 3000010, tenant_id = 2000025 } # PRIMARY afterwards
    standby        = { cluster_id = 3000009, tenant_id = 2000022 } # STANDBY afterwards
    allow_warnings = true                                          # precheck warnings (e.g. OBE26107) do not stop it
    timeouts {
      invoke = "60m"
    }
  }
}

# Or switch over whenever the drill id changes.
resource "terraform_data" "drill" {
  input = "2026-11-21"

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.ocp_tenant_switchover.drill]
    }
  }
}

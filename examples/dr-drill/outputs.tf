output "roles_before" {
  description = "The roles OCP reported when this run was planned."
  value = {
    primary = "${local.current_primary.name} (${local.current_primary.tenant_id})"
    standby = "${local.current_standby.name} (${local.current_standby.tenant_id})"
  }
}

output "roles_after" {
  description = "The roles OCP reports after the apply."
  value = {
    primary = "${data.ocp_tenant.after_primary.name} (${data.ocp_tenant.after_primary.tenant_id}) ${data.ocp_tenant.after_primary.tenant_role}"
    standby = "${data.ocp_tenant.after_standby.name} (${data.ocp_tenant.after_standby.tenant_id}) ${data.ocp_tenant.after_standby.tenant_role}, log delay ${coalesce(data.ocp_tenant.after_standby.log_sync_delay_millis, 0)} ms"
  }
}

output "switchover_planned" {
  description = "Whether this run switches the pair over."
  value       = local.switch_needed
}

output "precheck" {
  description = "OCP's precheck of the switchover of the current primary to the current standby."
  value = {
    valid    = data.ocp_switchover_precheck.pair.valid
    errors   = data.ocp_switchover_precheck.pair.errors
    warnings = data.ocp_switchover_precheck.pair.warnings
  }
}

output "task" {
  description = "The OCP task of the last switchover this configuration ran (null before the first)."
  value = {
    id          = ocp_tenant_switchover.drill.task_id
    status      = ocp_tenant_switchover.drill.task_status
    switched_at = ocp_tenant_switchover.drill.switched_at
  }
}

# The drill's evidence for the audit, as one JSON document: when the switchover ran, how long OCP's task took,
# how far behind the standby was just before the switch, and every step of OCP's task with its times. Archive it
# after each apply:
#
#   terraform output -raw drill_report > "drill-$(date -u +%Y-%m-%d).json"
#
# switchover is the last switchover this configuration ran (the resource's last_switchover): null until the first,
# and unchanged by applies that switch nothing.
output "drill_report" {
  description = "The drill's evidence as JSON (archive it with terraform output -raw drill_report)."
  value = jsonencode({
    drill_active = var.drill_active
    home_site    = var.home_site
    dr_site      = var.dr_site
    roles_after = {
      primary = {
        tenant_id = data.ocp_tenant.after_primary.tenant_id
        name      = data.ocp_tenant.after_primary.name
        role      = data.ocp_tenant.after_primary.tenant_role
      }
      standby = {
        tenant_id    = data.ocp_tenant.after_standby.tenant_id
        name         = data.ocp_tenant.after_standby.name
        role         = data.ocp_tenant.after_standby.tenant_role
        log_delay_ms = data.ocp_tenant.after_standby.log_sync_delay_millis
      }
    }
    switchover = ocp_tenant_switchover.drill.last_switchover
  })
}

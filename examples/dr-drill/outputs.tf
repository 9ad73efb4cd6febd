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

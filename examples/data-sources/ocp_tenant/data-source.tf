# The standby tenant of a pair: its role, its primary, and how far its log sync lags.
data "ocp_tenant" "orders_standby" {
  cluster_id = 3000010
  tenant_id  = 2000025
}

output "orders_standby" {
  value = {
    role              = data.ocp_tenant.orders_standby.tenant_role
    primary_tenant_id = data.ocp_tenant.orders_standby.primary_tenant_id
    sync              = data.ocp_tenant.orders_standby.sync_status
    log_delay_ms      = data.ocp_tenant.orders_standby.log_sync_delay_millis
  }
}

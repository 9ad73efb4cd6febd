# Reads what the variables name from OCP (GET requests only, plus the switchover precheck when
# var.precheck is set) and checks each of the provider's assumptions about OCP's API against it.
data "ocp_api_compatibility" "this" {
  clusters = var.clusters
  tenants  = var.tenants
  task_id  = var.task_id
  precheck = var.precheck
  report   = true # the answers, redacted, for a bug report
}

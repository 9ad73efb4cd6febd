# Terraform >= 1.12. Import a pair by its identity: both tenants, the one with the lower tenant id first (the
# order of the resource id). terraform query -generate-config-out writes blocks like these for every pair
# it lists. The resource declares the roles the pair has now, so that the plan is an import and nothing
# else; importing starts no switchover and runs no precheck.
import {
  to = ocp_tenant_switchover.orders
  identity = {
    first_cluster_id  = 3000013
    first_tenant_id   = 2000101
    second_cluster_id = 3000014
    second_tenant_id  = 2000102
  }
}

resource "ocp_tenant_switchover" "orders" {
  primary = { cluster_id = 3000013, tenant_id = 2000101 }
  standby = { cluster_id = 3000014, tenant_id = 2000102 }
}

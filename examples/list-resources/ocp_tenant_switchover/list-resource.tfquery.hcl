# Terraform >= 1.14, in a file ending in .tfquery.hcl next to the configuration that configures the provider.
#   terraform query                                   lists the pairs, each with its identity
#   terraform query -generate-config-out=pairs.tf     also writes a resource block and an import block per pair
# The two list blocks below overlap (both list the orders pair): with -generate-config-out keep only one of
# them, or that pair is written twice (a resource and an import block for each list block).

# Every primary/standby tenant pair among the tenants of these clusters, in its current roles. Both tenants
# of a pair must be in the clusters listed: a standby whose primary is elsewhere is named in a warning.
list "ocp_tenant_switchover" "all" {
  provider = ocp

  config {
    cluster_ids = [3000009, 3000010, 3000013, 3000014]
  }
}

# Only the pairs of which either tenant is named orders_s, with the resource object each would have in
# state (shown by terraform query -json).
list "ocp_tenant_switchover" "orders" {
  provider         = ocp
  include_resource = true

  config {
    cluster_ids = [3000013, 3000014]
    tenant_name = "orders_s"
  }
}

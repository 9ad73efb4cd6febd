# Import a pair by both tenants as <cluster_id>/<tenant_id>,<cluster_id>/<tenant_id>, in either order.
# The next read puts the tenant OCP reports PRIMARY in `primary`; importing starts nothing.
terraform import ocp_tenant_switchover.orders 3000009/2000022,3000010/2000025

# The configuration `make demo` applies against the built-in OCP simulator. The provider reads its URL
# and credentials from OCP_URL, OCP_USERNAME and OCP_PASSWORD, which the demo script sets.
terraform {
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

provider "ocp" {}

data "ocp_tenant" "primary" {
  cluster_id = 3000009
  tenant_id  = 2000022
}

data "ocp_tenant" "standby" {
  cluster_id = 3000010
  tenant_id  = 2000025
}

output "pair" {
  value = {
    primary = "${data.ocp_tenant.primary.name} (${data.ocp_tenant.primary.tenant_role}) on ${data.ocp_tenant.primary.cluster_name}"
    standby = "${data.ocp_tenant.standby.name} (${data.ocp_tenant.standby.tenant_role}) on ${data.ocp_tenant.standby.cluster_name}, sync ${data.ocp_tenant.standby.sync_status}, delay ${data.ocp_tenant.standby.log_sync_delay_millis} ms"
  }
}

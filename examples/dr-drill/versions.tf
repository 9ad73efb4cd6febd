terraform {
  required_version = ">= 1.5"
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

# Leave url and the credentials null to take them from OCP_URL, OCP_USERNAME and OCP_PASSWORD (or
# OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET), which keeps secrets out of variables files.
provider "ocp" {
  url      = var.ocp_url
  username = var.ocp_username
  password = var.ocp_password
}

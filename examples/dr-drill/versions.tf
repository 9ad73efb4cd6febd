terraform {
  required_version = ">= 1.5"
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

# Leave url and username null to take them from OCP_URL and OCP_USERNAME. The secret comes from the
# environment only (OCP_PASSWORD, or OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET): a pipeline saves its plan,
# and Terraform writes the values of ordinary variables (even sensitive ones) into saved plan files.
provider "ocp" {
  url      = var.ocp_url
  username = var.ocp_username
}

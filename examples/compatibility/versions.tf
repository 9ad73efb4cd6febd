terraform {
  required_version = ">= 1.5"
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

# The provider's usual credentials, from the environment: OCP_URL, and OCP_USERNAME/OCP_PASSWORD or
# OCP_ACCESS_KEY_ID/OCP_ACCESS_KEY_SECRET (OCP_CA_CERT_FILE, OCP_INSECURE and the rest as usual).
provider "ocp" {}

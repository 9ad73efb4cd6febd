terraform {
  required_providers {
    ocp = {
      source = "ocpdr/ocp"
    }
  }
}

# HTTP Basic credentials. Leave any argument out to take it from the environment instead:
# OCP_URL, OCP_USERNAME, OCP_PASSWORD (or OCP_ACCESS_KEY_ID and OCP_ACCESS_KEY_SECRET for AccessKey signatures).
provider "ocp" {
  url      = "https://ocp.example.com:8080"
  username = "terraform"
  password = var.ocp_password

  # Optional settings, shown with their defaults.
  request_timeout = "30s"
  max_retries     = 4
}

variable "ocp_password" {
  description = "Password of the OCP user \"terraform\"."
  type        = string
  sensitive   = true
}

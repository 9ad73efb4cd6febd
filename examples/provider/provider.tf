terraform {
  required_version = ">= 1.10" # for the ephemeral variable below; on older versions use OCP_PASSWORD
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
  password = var.ocp_password # or leave it out and set OCP_PASSWORD

  # Optional settings, shown with their defaults.
  request_timeout = "30s"
  max_retries     = 4
}

# Ephemeral (Terraform 1.10 and later): the password is not written to saved plan files or to the state,
# where an ordinary variable, even a sensitive one, would be. Set it with TF_VAR_ocp_password.
variable "ocp_password" {
  description = "Password of the OCP user \"terraform\"."
  type        = string
  sensitive   = true
  ephemeral   = true
}

# terraform output -raw compatibility_table
output "compatibility_table" {
  description = "Each assumption: held, missing, different or not checked, with the fields OCP sent."
  value       = data.ocp_api_compatibility.this.table
}

# The checks that did not hold, by id (the API compatibility guide explains each).
output "not_held" {
  value = data.ocp_api_compatibility.this.not_held
}

output "versions" {
  value = {
    ocp = coalesce(data.ocp_api_compatibility.this.ocp_version, "not reported")
    ob  = data.ocp_api_compatibility.this.ob_versions
  }
}

# terraform output -raw compatibility_report > report.json
output "compatibility_report" {
  description = "OCP's answers with credentials, host names and addresses redacted, to attach to a bug report."
  value       = data.ocp_api_compatibility.this.report_json
}

# Policy for plans of the OCP provider: a switchover may only be applied when the same plan read OCP's
# switchover precheck for its pair of tenants, and that precheck does not block it.
#
# Input: the JSON of a saved plan:
#   terraform plan -out tfplan && terraform show -json tfplan > plan.json
#   opa eval --fail-defined --format raw -d switchover.rego -i plan.json 'data.terraform.ocp.deny[_]'
#   conftest test --namespace terraform.ocp plan.json
#
# Data sources read at plan time are in prior_state (mode "data"); a data source whose arguments were not
# known at plan time is not read until apply, so it is absent there: that counts as "not read".
package terraform.ocp

import rego.v1

# Changes that start, or may start, a switchover: creating the resource, updating it (switching back is an
# update), or replacing it. Deleting it calls no API, and no-op/read changes do nothing.
switchover_actions := {"create", "update"}

switchovers contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	rc.type == "ocp_tenant_switchover"
	some action in rc.change.actions
	action in switchover_actions
}

# The prechecks this plan read, from the state Terraform refreshed at plan time.
prechecks contains r if {
	some r in all_resources(input.prior_state.values.root_module)
	r.mode == "data"
	r.type == "ocp_switchover_precheck"
}

# Resources of a module and of its child modules, at any depth.
all_resources(module) := [r |
	walk(module, [_, value])
	is_object(value)
	some r in object.get(value, "resources", [])
]

# The pair of tenants of a switchover: both tenant ids, whichever is to become primary. Absent when the
# plan does not know them yet (they come from something applied first).
pair_of_switchover(rc) := {rc.change.after.primary.tenant_id, rc.change.after.standby.tenant_id} if {
	is_number(rc.change.after.primary.tenant_id)
	is_number(rc.change.after.standby.tenant_id)
}

pair_of_precheck(r) := {r.values.tenant_id, r.values.standby_tenant_id}

prechecks_of(rc) := {r | some r in prechecks; pair_of_precheck(r) == pair_of_switchover(rc)}

# A precheck blocks when OCP said so (valid = false) or reported any blocking check. Warnings do not block.
blocking(r) if r.values.valid == false

blocking(r) if count(object.get(r.values, "errors", [])) > 0

deny contains msg if {
	some rc in switchovers
	not pair_of_switchover(rc)
	msg := sprintf("%s: the tenants of the switchover are not known at plan time, so no ocp_switchover_precheck could be read for them; plan with known tenant ids", [rc.address])
}

deny contains msg if {
	some rc in switchovers
	pair_of_switchover(rc)
	count(prechecks_of(rc)) == 0
	msg := sprintf("%s: the plan did not read an ocp_switchover_precheck data source for tenants %v; add one for this pair (with known arguments) so that OCP's precheck is part of the plan", [rc.address, sort(pair_of_switchover(rc))])
}

deny contains msg if {
	some rc in switchovers
	some r in prechecks_of(rc)
	blocking(r)
	msg := sprintf("%s: OCP's switchover precheck (%s) blocks the switchover of tenants %v: %s", [rc.address, r.address, sort(pair_of_switchover(rc)), reasons(r)])
}

reasons(r) := concat("; ", r.values.errors) if count(object.get(r.values, "errors", [])) > 0

reasons(r) := "valid = false" if count(object.get(r.values, "errors", [])) == 0

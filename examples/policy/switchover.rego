# Policy for plans of the OCP provider: a plan whose apply will start a switchover may only be applied when
# the same plan read OCP's switchover precheck for its pair of tenants, and that precheck does not block it.
#
# Whether apply starts a switchover is the resource's planned_action: "switchover <name> (<id>) -> <name> (<id>)"
# starts one (or waits for one already running); "none: roles already hold" and "wait for switchover task <id>"
# start none, so they need no precheck (a running switchover makes OCP's precheck block anyway).
#
# Input: the JSON of a saved plan; from the repository's root:
#   terraform plan -out tfplan && terraform show -json tfplan > plan.json
#   opa eval --fail-defined --format raw -d examples/policy/switchover.rego -i plan.json 'data.terraform.ocp.deny[_]'
#   conftest test --policy examples/policy --namespace terraform.ocp plan.json
#
# Data sources read at plan time are in prior_state (mode "data"); a data source whose arguments were not
# known at plan time is not read until apply, so it is absent there: that counts as "not read".
package terraform.ocp

import rego.v1

# Changes that start, or may start, a switchover: creating, updating or replacing the resource (deleting it
# calls no API) with a planned_action that is a switchover, or that the plan does not know (the tenants are
# unknown at plan time; or a provider older than planned_action made the plan).
switchover_actions := {"create", "update"}

switchovers contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	rc.type == "ocp_tenant_switchover"
	some action in rc.change.actions
	action in switchover_actions
	starts_switchover(rc)
}

starts_switchover(rc) if startswith(planned(rc), "switchover ")

# Unknown values are absent from "after" (and flagged in "after_unknown"): count them as a switchover.
starts_switchover(rc) if planned(rc) == "(known after apply)"

# planned_action as the rules read it and the messages quote it.
planned(rc) := rc.change.after.planned_action if is_string(object.get(rc.change, ["after", "planned_action"], null))

planned(rc) := "(known after apply)" if not is_string(object.get(rc.change, ["after", "planned_action"], null))

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
	msg := sprintf("%s: planned_action %s: the tenants of the switchover are not known at plan time, so no ocp_switchover_precheck could be read for them; plan with known tenant ids", [rc.address, planned(rc)])
}

deny contains msg if {
	some rc in switchovers
	pair_of_switchover(rc)
	count(prechecks_of(rc)) == 0
	msg := sprintf("%s: planned_action %q starts a switchover, but the plan did not read an ocp_switchover_precheck data source for tenants %v; add one for this pair (with known arguments) so that OCP's precheck is part of the plan", [rc.address, planned(rc), sort(pair_of_switchover(rc))])
}

deny contains msg if {
	some rc in switchovers
	some r in prechecks_of(rc)
	blocking(r)
	msg := sprintf("%s: planned_action %q starts a switchover, but OCP's switchover precheck (%s) blocks the switchover of tenants %v: %s", [rc.address, planned(rc), r.address, sort(pair_of_switchover(rc)), reasons(r)])
}

reasons(r) := concat("; ", r.values.errors) if count(object.get(r.values, "errors", [])) > 0

reasons(r) := "valid = false" if count(object.get(r.values, "errors", [])) == 0

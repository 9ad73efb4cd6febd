# Unit tests of switchover.rego: opa test examples/policy
package terraform.ocp_test

import rego.v1

import data.terraform.ocp

# A planned switchover of the pair: planned_action as the provider plans it for these tenants.
switchover(actions, primary, standby) := planned_switchover(actions, primary, standby, sprintf("switchover t (%d) -> t (%d)", [standby, primary]))

planned_switchover(actions, primary, standby, planned_action) := {
	"address": "ocp_tenant_switchover.drill",
	"mode": "managed",
	"type": "ocp_tenant_switchover",
	"change": {
		"actions": actions,
		"after": {
			"primary": {"cluster_id": 3000014, "tenant_id": primary},
			"standby": {"cluster_id": 3000013, "tenant_id": standby},
			"planned_action": planned_action,
		},
	},
}

precheck(tenant, standby, valid, errors) := {
	"address": "data.ocp_switchover_precheck.pair",
	"mode": "data",
	"type": "ocp_switchover_precheck",
	"values": {"tenant_id": tenant, "standby_tenant_id": standby, "valid": valid, "errors": errors, "warnings": []},
}

plan(changes, data_sources) := {
	"resource_changes": changes,
	"prior_state": {"values": {"root_module": {"resources": data_sources}}},
}

test_passing_precheck_allows if {
	count(ocp.deny) == 0 with input as plan([switchover(["create"], 2000102, 2000101)], [precheck(2000101, 2000102, true, [])])
}

test_switch_back_with_precheck_allows if {
	count(ocp.deny) == 0 with input as plan([switchover(["update"], 2000101, 2000102)], [precheck(2000102, 2000101, true, [])])
}

test_no_switchover_no_rule if {
	count(ocp.deny) == 0 with input as plan([switchover(["no-op"], 2000102, 2000101)], [])
}

test_delete_needs_no_precheck if {
	count(ocp.deny) == 0 with input as plan([switchover(["delete"], 2000102, 2000101)], [])
}

test_missing_precheck_denied if {
	some msg in ocp.deny with input as plan([switchover(["create"], 2000102, 2000101)], [])
	contains(msg, "did not read an ocp_switchover_precheck")
}

test_precheck_of_other_pair_denied if {
	some msg in ocp.deny with input as plan([switchover(["create"], 2000102, 2000101)], [precheck(2000111, 2000112, true, [])])
	contains(msg, "did not read an ocp_switchover_precheck")
}

test_blocking_precheck_denied if {
	some msg in ocp.deny with input as plan(
		[switchover(["create"], 2000112, 2000111)],
		[precheck(2000111, 2000112, false, ["OBE26009: the log delay is too long"])],
	)
	contains(msg, "OBE26009")
}

test_invalid_without_errors_denied if {
	some msg in ocp.deny with input as plan([switchover(["create"], 2000112, 2000111)], [precheck(2000111, 2000112, false, [])])
	contains(msg, "valid = false")
}

test_replace_is_checked if {
	some msg in ocp.deny with input as plan([switchover(["delete", "create"], 2000102, 2000101)], [])
	contains(msg, "did not read")
}

test_roles_holding_need_no_precheck if {
	count(ocp.deny) == 0 with input as plan([planned_switchover(["create"], 2000101, 2000102, "none: roles already hold")], [])
	count(ocp.deny) == 0 with input as plan([planned_switchover(["update"], 2000101, 2000102, "none: roles already hold")], [])
}

test_roles_holding_with_a_blocking_precheck_allowed if {
	# Nothing switches over, so a precheck of the switch back that blocks does not matter.
	count(ocp.deny) == 0 with input as plan(
		[planned_switchover(["create"], 2000111, 2000112, "none: roles already hold")],
		[precheck(2000111, 2000112, false, ["OBE26009: the log delay is too long"])],
	)
}

test_waiting_for_a_running_switchover_needs_no_precheck if {
	count(ocp.deny) == 0 with input as plan([planned_switchover(["update"], 2000102, 2000101, "wait for switchover task 5000000001")], [])
}

test_message_quotes_planned_action if {
	some msg in ocp.deny with input as plan([switchover(["update"], 2000102, 2000101)], [])
	contains(msg, `planned_action "switchover t (2000101) -> t (2000102)" starts a switchover`)
}

test_unknown_planned_action_counts_as_a_switchover if {
	sw := {
		"address": "ocp_tenant_switchover.drill",
		"mode": "managed",
		"type": "ocp_tenant_switchover",
		"change": {
			"actions": ["create"],
			"after": {"primary": {"cluster_id": 3000014, "tenant_id": 2000102}, "standby": {"cluster_id": 3000013, "tenant_id": 2000101}},
			"after_unknown": {"planned_action": true},
		},
	}
	some msg in ocp.deny with input as plan([sw], [])
	contains(msg, "(known after apply)")
	count(ocp.deny) == 0 with input as plan([sw], [precheck(2000101, 2000102, true, [])])
}

test_plan_of_an_older_provider_is_checked if {
	# Without planned_action in the plan at all, every create or update counts as a switchover.
	sw := json.remove(switchover(["update"], 2000102, 2000101), ["change/after/planned_action"])
	some msg in ocp.deny with input as plan([sw], [])
	contains(msg, "did not read")
}

test_unknown_tenants_denied if {
	# Values not known at plan time are absent from "after" (they are listed in "after_unknown").
	sw := {
		"address": "ocp_tenant_switchover.drill",
		"mode": "managed",
		"type": "ocp_tenant_switchover",
		"change": {"actions": ["create"], "after": {}, "after_unknown": {"primary": true, "standby": true}},
	}
	some msg in ocp.deny with input as plan([sw], [])
	contains(msg, "not known at plan time")
}

test_precheck_in_child_module_counts if {
	inp := {
		"resource_changes": [switchover(["create"], 2000102, 2000101)],
		"prior_state": {"values": {"root_module": {"child_modules": [{"resources": [precheck(2000101, 2000102, true, [])]}]}}},
	}
	count(ocp.deny) == 0 with input as inp
}

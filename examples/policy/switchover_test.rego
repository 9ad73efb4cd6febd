# Unit tests of switchover.rego: opa test examples/policy
package terraform.ocp_test

import rego.v1

import data.terraform.ocp

switchover(actions, primary, standby) := {
	"address": "ocp_tenant_switchover.drill",
	"mode": "managed",
	"type": "ocp_tenant_switchover",
	"change": {
		"actions": actions,
		"after": {
			"primary": {"cluster_id": 3000014, "tenant_id": primary},
			"standby": {"cluster_id": 3000013, "tenant_id": standby},
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

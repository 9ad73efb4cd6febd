// Package dr runs OceanBase disaster-recovery operations through OCP: the switchover of a tenant pair,
// the failover of standby tenants, the failover of a standby cluster. For each it decides, from what OCP
// reports, what can and must be done (plan), does it (start once, or attach to the task already
// running), waits for it and confirms the result. It speaks OCP through internal/ocp and knows nothing
// of Terraform: what it finds is typed outcomes and Problems, which the provider maps to state and
// diagnostics.
package dr

import "github.com/ocpdr/terraform-provider-ocp/internal/ocp"

// Severity says whether a Problem stops the operation.
type Severity int

const (
	// Error stops the operation (at plan time: the plan fails).
	Error Severity = iota
	// Warning is shown and the operation goes on.
	Warning
)

// Input names the part of the request a Problem concerns, so that a caller can point at the setting
// to change.
type Input int

const (
	// InputNone: the problem is OCP's state, not a setting.
	InputNone Input = iota
	// InputPrimary and InputStandby: the tenant asked to be PRIMARY / STANDBY after a switchover.
	InputPrimary
	InputStandby
	// InputCluster: the cluster of a failover.
	InputCluster
	// InputTenant: one tenant of a batch failover; Problem.TenantID says which.
	InputTenant
)

// Problem is something that stops an operation or qualifies it.
type Problem struct {
	Severity Severity
	// Summary is short and stable ("Switchover precheck failed: OBE26009").
	Summary string
	// Target names what the problem concerns, with ids ("switchover of primary ohayo_1 (tenant …)").
	Target string
	// Detail is the explanation and what to do next. When Err is set, the caller renders Err (what OCP
	// said, its trace id) and adds Detail after it.
	Detail string
	// Err is the error from OCP behind the problem, if any.
	Err error
	// TaskID is the OCP task a wait problem is about; Waiting says the problem ended a wait, so that the
	// task may still be running.
	TaskID  int64
	Waiting bool
	// Input is the setting the problem concerns; Config says that the setting itself is the mistake (a
	// tenant that is not a standby of the cluster, two tenants that are not a pair), not OCP's state.
	Input    Input
	TenantID int64
	Config   bool
}

// Problems is what an operation found, in the order found.
type Problems []Problem

// HasError reports whether any problem stops the operation.
func (ps Problems) HasError() bool {
	for _, p := range ps {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// add appends an error or warning with the given text.
func (ps *Problems) add(sev Severity, summary, target, detail string) *Problem {
	*ps = append(*ps, Problem{Severity: sev, Summary: summary, Target: target, Detail: detail})
	return &(*ps)[len(*ps)-1]
}

// ocpError appends an error whose cause is an OCP error.
func (ps *Problems) ocpError(summary, target string, err error) *Problem {
	*ps = append(*ps, Problem{Severity: Error, Summary: summary, Target: target, Err: err})
	return &(*ps)[len(*ps)-1]
}

// Reporter tells the operator what an operation does while it runs: a message at each milestone
// (start, attach, nothing to do, finish), each subtask transition, and OCP not answering. A resource
// logs them; an action sends them to Terraform's UI. The engine serialises its calls.
type Reporter interface {
	Say(message string)
	Progress(ocp.ProgressEvent)
	Unreachable(ocp.Unreachable)
}

package ocpsim

import (
	"fmt"
	"net/http"
)

// Error codes the simulator answers with. OCP's codes are strings: numeric ones (the OCP Express ranges:
// common 10000, task 20000, IAM 30000, cluster 50000, tenant 60000) are written as JSON numbers unless
// the scenario asks for strings, and OCP's own string codes (OBExxxxx) are always strings. The task codes
// and the OBE codes are OCP's; the other numbers are the simulator's choice and are listed in README.md.
const (
	CodeIllegalArgument   = "10001" // malformed body, bad id, unknown URL
	CodeTooManyRequests   = "0"     // fault: 429, as OCP's documented 429 sample ("code": 0)
	CodeUnexpected        = "10010" // fault: 5xx
	CodeTaskNotExists     = "20000"
	CodeTaskStateInvalid  = "20003"
	CodeTaskProhibitRB    = "20004"
	CodeAuthFailed        = "30001"
	CodeClusterNotFound   = "50001"
	CodeClusterNotStandby = "50010"
	CodeTenantNotFound    = "60018"
	CodeTenantNotStandby  = "60101"
	CodePrecheckBlocked   = "60102"
	CodeTenantDuplicated  = "60103"

	// CodeTenantBusy is OCP's OBE21005: the tenant does not support the operation in its current status.
	// OCP answers it (HTTP 400) when a tenant is not NORMAL or a running task holds it.
	CodeTenantBusy = "OBE21005"
	// CodeClusterBusy is OCP's OBE11020: the last O&M task of the cluster is still in progress (HTTP 400).
	CodeClusterBusy = "OBE11020"
	// CodePrimaryTenantAlive is OCP's OBE26019: a tenant failover is refused while the standby's primary
	// tenant is alive (HTTP 400).
	CodePrimaryTenantAlive = "OBE26019"
)

// Error is a refused request: the HTTP status and the error envelope's code and message. The exported
// operations (RetryTask, RollbackTask) return it so tests can compare codes with errors.As.
type Error struct {
	Status int
	// Code is the envelope's error code, as OCP spells it ("60018", "OBE21005").
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("ocpsim: HTTP %d, code %s: %s", e.Status, e.Code, e.Message)
}

func errf(status int, code string, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *Error {
	return errf(http.StatusBadRequest, CodeIllegalArgument, format, args...)
}

func tenantNotFound(id int64) *Error {
	return errf(http.StatusNotFound, CodeTenantNotFound, "Tenant %d does not exist.", id)
}

func clusterNotFound(id int64) *Error {
	return errf(http.StatusNotFound, CodeClusterNotFound, "OB cluster %d does not exist.", id)
}

func taskNotFound(id int64) *Error {
	return errf(http.StatusNotFound, CodeTaskNotExists, "The %d task does not exist.", id)
}

// tenantBusy is OBE21005 for tenant t, in OCP's words; why (a running task, an odd status) follows in
// brackets so that a test failure says what held the tenant.
func tenantBusy(t *Tenant, why string) *Error {
	return errf(http.StatusBadRequest, CodeTenantBusy,
		"The tenant %s does not support this operation in its current status (%s).", t.Name, why)
}

// clusterBusy is OBE11020 for cluster c, held by task taskID.
func clusterBusy(c *Cluster, taskID int64) *Error {
	return errf(http.StatusBadRequest, CodeClusterBusy,
		"The last O&M task of the cluster %s is still in progress (task %d).", c.Name, taskID)
}

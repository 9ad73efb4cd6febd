package ocpsim

import (
	"fmt"
	"net/http"
)

// Error codes the simulator answers with. The ranges follow OCP Express (common 10000, task 20000,
// IAM 30000, cluster 50000, tenant 60000); the task codes are OCP's own, the others are the simulator's
// choice and are listed in README.md.
const (
	CodeIllegalArgument   = 10001 // malformed body, bad id, unknown URL
	CodeTooManyRequests   = 10008 // fault: 429
	CodeUnexpected        = 10010 // fault: 5xx
	CodeTaskNotExists     = 20000
	CodeTaskStateInvalid  = 20003
	CodeTaskProhibitRB    = 20004
	CodeAuthFailed        = 30001
	CodeClusterNotFound   = 50001
	CodeClusterNotStandby = 50010
	CodeClusterBusy       = 50011
	CodeTenantNotFound    = 60018
	CodeTenantBusy        = 60100
	CodeTenantNotStandby  = 60101
	CodePrecheckBlocked   = 60102
	CodeTenantDuplicated  = 60103
)

// Error is a refused request: the HTTP status and the error envelope's code and message. The exported
// operations (RetryTask, RollbackTask) return it so tests can compare codes with errors.As.
type Error struct {
	Status  int
	Code    int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("ocpsim: HTTP %d, code %d: %s", e.Status, e.Code, e.Message)
}

func errf(status, code int, format string, args ...any) *Error {
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

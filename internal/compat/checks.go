package compat

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sources of the provider's facts: pages of OCP's published API reference ([doc]) or the provider's own
// assumptions where OCP documents nothing ([assumed]).
const (
	srcInfo      = "[doc] Query the basic information of an OCP application (GET /api/v2/info)"
	srcHTTP      = "[doc] Call an API in HTTP mode; AccessKey signature"
	srcEnvelope  = "[doc] the response envelope of every API page's sample"
	srcError     = "[doc] the error envelope (its 429 sample: code 0, empty traceId)"
	srcTenant    = "[doc] Query details about a tenant"
	srcTenantDR  = "[assumed] not in Query details about a tenant"
	srcClusters  = "[doc] Query clusters"
	srcTaskList  = "[doc] Query tasks"
	srcTask      = "[doc] Query details about a task"
	srcTaskNames = "[doc] Perform a switchover; Perform a batch failover; cluster failover"
	srcPrecheck  = "[doc] Perform a switchover precheck"
)

// spec is one check: what is assumed, its source, what follows from it, and how OCP's answers decide it.
type spec struct {
	id, assumption, source, impact string
	eval                           func(o *Observations) (Result, string)
}

// catalog is every check, in the order reported.
var catalog = []spec{
	{"auth", "The provider's credentials are accepted: HTTP Basic, or the AccessKey signature over the method, body, date, host and the path with its query sorted.",
		srcHTTP, "Every request. A refusal (HTTP 401) stops the check with the provider's usual error; an HTTP 403 names a permission the provider's user needs (reading tenants, clusters and tasks).", evalAuth},
	{"ocp.version", "GET /api/v2/info answers OCP's build version (buildVersion).",
		srcInfo, "None: the provider does not need OCP's version; the check reports it for bug reports.", evalVersion},
	{"envelope.success", "Every answer is OCP's envelope: successful, status and data (the list and object asked for) on success.",
		srcEnvelope, "Every read. An answer without the envelope is reported as \"unexpected response\" with its first bytes.", evalEnvelopeSuccess},
	{"envelope.timestamp", "Every envelope carries timestamp, OCP's clock, as RFC 3339 with an offset.",
		srcEnvelope, "The client measures OCP's clock against its own with it, to date the tasks it looks up after a lost answer and to time its task checks; without it, such a lookup takes no task (it names those of the last minute) and the checks assume the clocks agree.", evalTimestamp},
	{"envelope.trace_id", "Every envelope carries traceId; it may be empty.",
		srcError, "Errors quote OCP's trace id so that OCP's administrators can find the request; an empty one is left out.", evalTraceID},
	{"error.not_found", "An unknown id answers HTTP 404 with the error envelope (successful false, error.code, error.message).",
		srcError, "A 404 of the task ends a wait at once (every other failed read is retried until the timeout); a 404 of a tenant or cluster is reported as not found.", evalNotFound},
	{"error.code", "error.code is a JSON number on some OCP versions and a string on others.",
		srcError, "Both are read and shown as sent; the busy codes OBE21005, OBE11020 and TSK10007 and OBE26019 are strings.", evalErrorCode},
	{"tenant.detail", "GET /ob/clusters/{clusterId}/tenants/{tenantId} answers the tenant with id, name, clusterId, clusterName and status.",
		srcTenant, "Every type reads tenants before and after an operation.", evalTenantDetail},
	{"tenant.status", "A tenant's status is NORMAL, CREATING, MODIFYING or DELETING.",
		srcTenant, "Only NORMAL tenants are switched over; MODIFYING means a task is changing the tenant. Other values are shown as sent.", evalTenantStatus},
	{"tenant.cluster_type", "The tenant detail carries clusterType (its cluster's PRIMARY or STANDBY) and obVersion.",
		srcTenant, "Reported only (OB version); clusterType is the cluster's role, never taken for the tenant's.", evalTenantClusterType},
	{"tenant.role", "The tenant detail carries tenantRole, PRIMARY or STANDBY.",
		srcTenantDR, "Switchover and failover decide and confirm with it. Without it they stop with an error that says so (a role is never guessed), and ocp_tenant.tenant_role is null.", evalTenantRole},
	{"tenant.primary_tenant", "A standby's tenant detail carries primaryTenantId, its primary tenant.",
		srcTenantDR, "A switchover checks that the two tenants form one pair, and a busy standby's switchover task is also looked for under its primary; without it neither is done.", evalStandbyField("primaryTenantId", "number")},
	{"tenant.sync_status", "A standby's tenant detail carries syncStatus (NORMAL when in sync; other values are free text).",
		srcTenantDR, "Shown by ocp_tenant.sync_status; OCP's precheck decides on synchronisation itself.", evalStandbyField("syncStatus", "string")},
	{"tenant.log_delay", "A standby's tenant detail carries logSyncDelayMillis, its log delay in milliseconds.",
		srcTenantDR, "The failover plan's warning quotes it as the window of data a failover may lose; ocp_tenant.log_sync_delay_millis. Without it the warning says the delay is unknown.", evalStandbyField("logSyncDelayMillis", "number")},
	{"tenant.service_name", "The tenant detail carries serviceName when the tenant has one.",
		srcTenantDR, "Shown by ocp_tenant.service_name only.", evalServiceName},
	{"cluster.detail", "GET /ob/clusters/{clusterId} answers the cluster with id, name, status and type, as an item of the cluster list.",
		"[doc] Query clusters (fields); [assumed] the detail route answers the same object", "Cluster failover reads its cluster before and after.", evalClusterDetail},
	{"cluster.type", "A cluster's type is PRIMARY or STANDBY.",
		srcClusters, "Cluster failover needs a STANDBY cluster and confirms success by reading PRIMARY.", evalClusterType},
	{"cluster.status", "A cluster's status is one OCP documents (RUNNING, SWITCHOVER, FAILOVER, OPERATING, TAKINGOVER, …).",
		srcClusters, "Anything but RUNNING is an O&M operation in progress: a cluster failover warns about it (OCP decides).", evalClusterStatus},
	{"cluster.relations", "Cluster relations are objects: primaryCluster on a standby, standbyClusters (an array, [] when none).",
		srcClusters + "; [assumed] earlier: primaryClusterId, standbyClusterIds", "Cluster failover names the standby's primary. The ids form assumed earlier is read too.", evalClusterRelations},
	{"cluster.standby_sync", "A standby cluster carries delayTime (seconds, a number) and syncStatus (VALID, DISABLED or SYNCHRONIZING).",
		srcClusters, "The cluster failover plan quotes the delay as the window of data it may lose; without it the delay is unknown.", evalClusterSync},
	{"task_list.page", "The task list answers contents and page (totalElements, number from 1, size, and totalPages or, in older versions, totalPage).",
		srcTaskList, "The client follows the pages while it looks for a running operation; without a page count it stops after the first page.", evalTaskListPage},
	{"task_list.items", "Task list items name their cluster and tenant as objects (cluster{}, tenant{}), not as top-level clusterId/tenantId.",
		srcTaskList + "; [assumed] earlier: top-level ids", "The client finds a running operation by its tenant or cluster; both forms are read.", evalTaskListItems},
	{"task.detail", "The task detail names cluster{} and tenant{} as objects and carries subtasks with id, name, status, timeout, upstreams and downstreams (a DAG).",
		srcTask, "Waiting for a task: its status, and each subtask's progress in DAG order. The top-level ids form is read too.", evalTaskDetail},
	{"task.creator", "A task's creator is an object {id, name} in the task detail and the list (a string in the answer to an operation).",
		srcTask, "Shown in progress messages only; both forms are read.", evalTaskCreator},
	{"task.statuses", "Task statuses are RUNNING, FAILED or SUCCESSFUL; subtask statuses PENDING, READY, RUNNING, CANCELING, FAILED or SUCCESSFUL.",
		srcTask, "Other values are treated as still running: the provider waits until the task ends or the timeout.", evalTaskStatuses},
	{"task.times", "Task and subtask times (createTime, startTime, finishTime) are RFC 3339 strings with an offset.",
		srcTask, "The client decodes them; in another form a task cannot be read at all.", evalTaskTimes},
	{"task.names", "The DR operations' tasks are named \"Switchover ob tenant for network mode\", \"Failover tenant\" and \"Failover OB cluster\" (any letter case).",
		srcTaskNames, "The client recognises a running operation by its task name.", evalTaskNames},
	{"task_list.name_filter", "The task list's name filter is a keyword match that ignores letter case.",
		srcTaskList + " (name: fuzzy)", "The client filters by the operation's task name and then matches names itself, ignoring case. A filter that is exact or case-sensitive could hide a task OCP names in another case (\"Failover ob cluster\").", evalNameFilter},
	{"precheck.answer", "The switchover precheck answers HTTP 200 with valid and standbyCheckResults[].checkResults[] {warning, errorCode, errorMessage}, also when it blocks (valid false).",
		srcPrecheck + "; [assumed] HTTP 200 when it blocks", "Every switchover plan and ocp_switchover_precheck. Sent only when the precheck argument is set: it is a POST (that changes nothing).", evalPrecheck},
}

// CheckIDs lists every check's id, in the order reported.
func CheckIDs() []string {
	ids := make([]string, len(catalog))
	for i, s := range catalog {
		ids[i] = s.id
	}
	return ids
}

// Evaluate decides every check from what was read.
func Evaluate(o *Observations) []Check {
	out := make([]Check, 0, len(catalog))
	for _, s := range catalog {
		r, seen := s.eval(o)
		out = append(out, Check{ID: s.id, Assumption: s.assumption, Source: s.source, Result: r, Seen: seen, Impact: s.impact})
	}
	return out
}

// verdicts gathers per-object verdicts into one: missing before different before held; nothing is "not
// checked".
type verdicts struct {
	results []Result
	seen    []string
}

func (v *verdicts) add(r Result, format string, args ...any) {
	v.results = append(v.results, r)
	v.seen = append(v.seen, fmt.Sprintf(format, args...))
}

func (v *verdicts) result() Result {
	for _, r := range []Result{Missing, Different, Held} {
		if slices.Contains(v.results, r) {
			return r
		}
	}
	return NotChecked
}

func (v *verdicts) text() string { return strings.Join(v.seen, "; ") }

// failure describes an answer that was not a success envelope: "HTTP 404, code 60018".
func failure(e *Exchange) string {
	s := fmt.Sprintf("HTTP %d", e.HTTPStatus)
	env := envelopeOf(e)
	if env == nil {
		return s + ", not JSON"
	}
	if errObj := env.obj("error"); errObj != nil {
		if c := errObj.str("code"); c != "" {
			s += ", code " + c
		} else if c := errObj.num("code"); c != "" {
			s += ", code " + c
		}
	} else if !env.has("successful") {
		s += ", no OCP envelope"
	}
	return s
}

// successes are the exchanges of the given kinds that answered a success envelope with data.
func successes(o *Observations, kinds ...string) []*Exchange {
	var out []*Exchange
	for i := range o.Exchanges {
		e := &o.Exchanges[i]
		if slices.Contains(kinds, e.Kind) && dataOf(e) != nil {
			out = append(out, e)
		}
	}
	return out
}

// apiKinds are the reads of the API proper (GET /api/v2/info is documented without an envelope).
var apiKinds = []string{KindCluster, KindTenant, KindTaskList, KindTaskDetail, KindNameProbe, KindNotFound, KindPrecheck}

func evalAuth(o *Observations) (Result, string) {
	kind := "HTTP Basic"
	if o.AccessKey {
		kind = "AccessKey"
	}
	var forbidden []string
	for i := range o.Exchanges {
		if e := &o.Exchanges[i]; e.HTTPStatus == http.StatusForbidden {
			forbidden = append(forbidden, e.Request())
		}
	}
	if len(forbidden) > 0 {
		return Different, fmt.Sprintf("%s: HTTP 403 (a permission the user lacks) for %s", kind, quoteList(forbidden))
	}
	if o.AccessKey {
		return Held, "AccessKey: every signed request accepted, the task list's query parameters included"
	}
	return Held, "HTTP Basic: every request accepted"
}

func evalVersion(o *Observations) (Result, string) {
	e := o.first(KindInfo)
	if e == nil {
		return NotChecked, "not read"
	}
	if e.HTTPStatus >= 300 {
		return Missing, failure(e) + ": OCP version not reported"
	}
	body := envelopeOf(e)
	if body == nil {
		return Different, fmt.Sprintf("HTTP %d, not a JSON object", e.HTTPStatus)
	}
	form := "a bare object, as documented"
	if d := asObject(dataOf(e)); d != nil {
		body, form = d, "inside OCP's envelope"
	}
	if v := body.str("buildVersion"); v != "" {
		return Held, fmt.Sprintf("buildVersion %s (%s)", v, form)
	}
	return Different, fmt.Sprintf("no buildVersion (%s; keys %s)", form, quoteList(body.keys()))
}

// OCPVersion is OCP's build version from GET /api/v2/info, or "" when OCP did not report it.
func OCPVersion(o *Observations) string {
	e := o.first(KindInfo)
	if e == nil || e.HTTPStatus >= 300 {
		return ""
	}
	if d := asObject(dataOf(e)); d != nil {
		return d.str("buildVersion")
	}
	return envelopeOf(e).str("buildVersion")
}

// OBVersions lists the OceanBase versions of the clusters and tenants read ("cluster 3000009: 4.2.1.2").
func OBVersions(o *Observations) []string {
	var out []string
	for _, e := range successes(o, KindCluster, KindTenant) {
		if v := asObject(dataOf(e)).str("obVersion"); v != "" {
			out = append(out, fmt.Sprintf("%s: %s", e.Ref, v))
		}
	}
	return out
}

func evalEnvelopeSuccess(o *Observations) (Result, string) {
	var v verdicts
	var keys []string
	n := 0
	for i := range o.Exchanges {
		e := &o.Exchanges[i]
		if !slices.Contains(apiKinds, e.Kind) || e.HTTPStatus >= 300 {
			continue
		}
		n++
		env := envelopeOf(e)
		switch {
		case env == nil:
			v.add(Different, "%s: HTTP %d, not a JSON object", e.Request(), e.HTTPStatus)
			continue
		case env.kindOf("successful") != "bool":
			v.add(Missing, "%s: no successful", e.Request())
		case dataOf(e) == nil:
			v.add(Missing, "%s: successful %s without data", e.Request(), env["successful"])
		case !env.has("status"):
			v.add(Missing, "%s: no status", e.Request())
		}
		keys = append(keys, env.keys()...)
	}
	if n == 0 {
		return NotChecked, "no successful answer"
	}
	slices.Sort(keys)
	summary := fmt.Sprintf("%d answers; envelope keys %s", n, quoteList(slices.Compact(keys)))
	if r := v.result(); r != NotChecked {
		return r, v.text() + "; " + summary
	}
	return Held, summary
}

func evalTimestamp(o *Observations) (Result, string) {
	var v verdicts
	sample := ""
	n := 0
	for i := range o.Exchanges {
		e := &o.Exchanges[i]
		env := envelopeOf(e)
		if !slices.Contains(apiKinds, e.Kind) || env == nil || (!env.has("successful") && !env.has("error")) {
			continue
		}
		n++
		ts := env.str("timestamp")
		switch {
		case !env.has("timestamp"):
			v.add(Missing, "%s: no timestamp", e.Request())
		case ts == "":
			v.add(Different, "%s: timestamp is a %s", e.Request(), env.kindOf("timestamp"))
		default:
			if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
				v.add(Different, "%s: timestamp %q is not RFC 3339", e.Request(), ts)
			} else if sample == "" {
				sample = ts
			}
		}
	}
	if n == 0 {
		return NotChecked, "no envelope read"
	}
	if r := v.result(); r != NotChecked {
		return r, v.text()
	}
	return Held, fmt.Sprintf("in all %d envelopes, e.g. %s", n, sample)
}

func evalTraceID(o *Observations) (Result, string) {
	var v verdicts
	n, empty := 0, 0
	for i := range o.Exchanges {
		e := &o.Exchanges[i]
		env := envelopeOf(e)
		if !slices.Contains(apiKinds, e.Kind) || env == nil || (!env.has("successful") && !env.has("error")) {
			continue
		}
		n++
		switch k := env.kindOf("traceId"); k {
		case "string":
			if env.str("traceId") == "" {
				empty++
			}
		case "absent", "null":
			v.add(Missing, "%s: no traceId", e.Request())
		default:
			v.add(Different, "%s: traceId is a %s", e.Request(), k)
		}
	}
	if n == 0 {
		return NotChecked, "no envelope read"
	}
	if r := v.result(); r != NotChecked {
		return r, v.text()
	}
	return Held, fmt.Sprintf("in all %d envelopes (%d empty)", n, empty)
}

func evalNotFound(o *Observations) (Result, string) {
	e := o.first(KindNotFound)
	if e == nil {
		return NotChecked, "not read"
	}
	env := envelopeOf(e)
	switch {
	case e.HTTPStatus != 404:
		return Different, fmt.Sprintf("%s: %s", e.Request(), failure(e))
	case env == nil || env.obj("error") == nil:
		return Different, fmt.Sprintf("%s: HTTP 404 without OCP's error envelope", e.Request())
	case string(env["successful"]) != "false":
		return Different, fmt.Sprintf("%s: HTTP 404, successful is %s", e.Request(), orAbsent(env["successful"]))
	}
	missing := env.obj("error").missing("code", "message")
	if len(missing) > 0 {
		return Missing, fmt.Sprintf("%s: HTTP 404, error without %s", e.Request(), quoteList(missing))
	}
	return Held, fmt.Sprintf("%s: %s", e.Request(), failure(e))
}

func orAbsent(raw []byte) string {
	if len(raw) == 0 {
		return "absent"
	}
	return string(raw)
}

func evalErrorCode(o *Observations) (Result, string) {
	var v verdicts
	for i := range o.Exchanges {
		e := &o.Exchanges[i]
		errObj := envelopeOf(e).obj("error")
		if errObj == nil {
			continue
		}
		switch k := errObj.kindOf("code"); k {
		case "number":
			v.add(Held, "%s: a number (%s)", e.Request(), errObj.num("code"))
		case "string":
			v.add(Held, "%s: a string (%q)", e.Request(), errObj.str("code"))
		case "absent", "null":
			v.add(Missing, "%s: no error.code", e.Request())
		default:
			v.add(Different, "%s: error.code is a %s", e.Request(), k)
		}
	}
	if len(v.results) == 0 {
		return NotChecked, "no error envelope read"
	}
	return v.result(), v.text()
}

// tenantDocumented are the tenant detail's fields the provider reads from OCP's reference.
var tenantDocumented = []string{"id", "name", "clusterId", "clusterName", "status"}

func evalTenantDetail(o *Observations) (Result, string) {
	return evalDocumentedKeys(o, KindTenant, tenantDocumented, "no tenant given")
}

// evalDocumentedKeys checks that every answer of kind carries the documented keys.
func evalDocumentedKeys(o *Observations, kind string, documented []string, none string) (Result, string) {
	var v verdicts
	for _, e := range o.of(kind) {
		d := asObject(dataOf(e))
		switch {
		case d == nil:
			v.add(Different, "%s: %s", e.Ref, failure(e))
		case len(d.missing(documented...)) > 0:
			v.add(Missing, "%s: no %s (keys %s)", e.Ref, quoteList(d.missing(documented...)), quoteList(d.keys()))
		default:
			v.add(Held, "%s: keys %s", e.Ref, quoteList(d.keys()))
		}
	}
	if len(v.results) == 0 {
		return NotChecked, none
	}
	return v.result(), v.text()
}

// tenants are the tenant details read successfully, with their refs.
func tenants(o *Observations) []named {
	var out []named
	for _, e := range successes(o, KindTenant) {
		if d := asObject(dataOf(e)); d != nil {
			out = append(out, named{e.Ref, d})
		}
	}
	return out
}

// clusters are the cluster details read successfully.
func clusters(o *Observations) []named {
	var out []named
	for _, e := range successes(o, KindCluster) {
		if d := asObject(dataOf(e)); d != nil {
			out = append(out, named{e.Ref, d})
		}
	}
	return out
}

type named struct {
	ref string
	obj object
}

// enumField decides a string field that must take one of values.
func enumField(items []named, field string, values []string, none string) (Result, string) {
	var v verdicts
	for _, it := range items {
		switch s := it.obj.str(field); {
		case !it.obj.has(field):
			v.add(Missing, "%s: no %s", it.ref, field)
		case s == "":
			v.add(Different, "%s: %s is a %s", it.ref, field, it.obj.kindOf(field))
		case slices.Contains(values, s):
			v.add(Held, "%s: %s", it.ref, s)
		default:
			v.add(Different, "%s: %s %q", it.ref, field, s)
		}
	}
	if len(v.results) == 0 {
		return NotChecked, none
	}
	return v.result(), v.text()
}

var (
	tenantStatuses  = []string{"NORMAL", "CREATING", "MODIFYING", "DELETING"}
	roles           = []string{"PRIMARY", "STANDBY"}
	clusterStatuses = []string{"RUNNING", "CREATING", "DELETING", "STARTING", "RESTARTING", "STOPPING", "STOPPED",
		"TAKINGOVER", "MOVINGOUT", "SWITCHOVER", "FAILOVER", "OPERATING"}
	clusterSyncStatuses = []string{"VALID", "DISABLED", "SYNCHRONIZING"}
	taskStatuses        = []string{"RUNNING", "FAILED", "SUCCESSFUL"}
	subtaskStatuses     = []string{"PENDING", "READY", "RUNNING", "CANCELING", "FAILED", "SUCCESSFUL"}
	drTaskNames         = []string{"Switchover ob tenant for network mode", "Failover tenant", "Failover OB cluster"}
)

func evalTenantStatus(o *Observations) (Result, string) {
	return enumField(tenants(o), "status", tenantStatuses, "no tenant read")
}

func evalTenantClusterType(o *Observations) (Result, string) {
	var v verdicts
	for _, t := range tenants(o) {
		ct, ver := t.obj.str("clusterType"), t.obj.str("obVersion")
		switch {
		case ct == "" || ver == "":
			v.add(Missing, "%s: no %s", t.ref, quoteList(t.obj.missing("clusterType", "obVersion")))
		case !slices.Contains(roles, ct):
			v.add(Different, "%s: clusterType %q", t.ref, ct)
		default:
			v.add(Held, "%s: clusterType %s, obVersion %s", t.ref, ct, ver)
		}
	}
	if len(v.results) == 0 {
		return NotChecked, "no tenant read"
	}
	return v.result(), v.text()
}

func evalTenantRole(o *Observations) (Result, string) {
	r, seen := enumField(tenants(o), "tenantRole", roles, "no tenant read")
	return r, strings.ReplaceAll(seen, ": no tenantRole", ": no tenantRole (no role field at all)")
}

// evalStandbyField decides a field that a standby tenant's detail is assumed to carry, of JSON type want.
// Standbys are the tenants whose tenantRole says STANDBY; when no tenant reports a role, which tenants are
// standbys is unknown, and the field counts as missing if no tenant carries it.
func evalStandbyField(field, want string) func(o *Observations) (Result, string) {
	return func(o *Observations) (Result, string) {
		ts := tenants(o)
		if len(ts) == 0 {
			return NotChecked, "no tenant read"
		}
		var standbys []named
		anyRole := false
		for _, t := range ts {
			role := t.obj.str("tenantRole")
			anyRole = anyRole || slices.Contains(roles, role)
			if role == "STANDBY" {
				standbys = append(standbys, t)
			}
		}
		if !anyRole {
			var v verdicts
			for _, t := range ts {
				if t.obj.has(field) {
					v.add(Held, "%s: %s %s (no role reported)", t.ref, field, t.obj[field])
				}
			}
			if len(v.results) == 0 {
				return Missing, fmt.Sprintf("no tenant read carries %s, and none reports a role", field)
			}
			return v.result(), v.text()
		}
		if len(standbys) == 0 {
			return NotChecked, "no STANDBY tenant among those read"
		}
		var v verdicts
		for _, t := range standbys {
			switch k := t.obj.kindOf(field); k {
			case want:
				v.add(Held, "%s: %s %s", t.ref, field, t.obj[field])
			case "absent", "null":
				v.add(Missing, "%s (STANDBY): no %s", t.ref, field)
			default:
				v.add(Different, "%s: %s is a %s", t.ref, field, k)
			}
		}
		return v.result(), v.text()
	}
}

func evalServiceName(o *Observations) (Result, string) {
	ts := tenants(o)
	if len(ts) == 0 {
		return NotChecked, "no tenant read"
	}
	var v verdicts
	for _, t := range ts {
		if s := t.obj.str("serviceName"); s != "" {
			v.add(Held, "%s: serviceName present", t.ref)
		}
	}
	if len(v.results) == 0 {
		return NotChecked, "no tenant read has serviceName (a tenant without a service name has none either)"
	}
	return v.result(), v.text()
}

var clusterDocumented = []string{"id", "name", "status", "type"}

func evalClusterDetail(o *Observations) (Result, string) {
	return evalDocumentedKeys(o, KindCluster, clusterDocumented, "no cluster given")
}

func evalClusterType(o *Observations) (Result, string) {
	return enumField(clusters(o), "type", roles, "no cluster read")
}

func evalClusterStatus(o *Observations) (Result, string) {
	return enumField(clusters(o), "status", clusterStatuses, "no cluster read")
}

func evalClusterRelations(o *Observations) (Result, string) {
	cs := clusters(o)
	if len(cs) == 0 {
		return NotChecked, "no cluster read"
	}
	var v verdicts
	for _, c := range cs {
		documented := c.obj.kindOf("standbyClusters") == "array" || c.obj.kindOf("primaryCluster") == "object"
		assumed := c.obj.has("standbyClusterIds") || c.obj.has("primaryClusterId")
		standby := c.obj.str("type") == "STANDBY"
		switch {
		case standby && c.obj.kindOf("primaryCluster") == "object":
			v.add(Held, "%s (STANDBY): primaryCluster{%s}", c.ref, quoteList(c.obj.obj("primaryCluster").keys()))
		case standby && c.obj.has("primaryClusterId"):
			v.add(Different, "%s (STANDBY): primaryClusterId (the ids form; read too)", c.ref)
		case standby:
			v.add(Missing, "%s (STANDBY): neither primaryCluster nor primaryClusterId", c.ref)
		case documented:
			arr, _ := asArray(c.obj["standbyClusters"])
			v.add(Held, "%s: standbyClusters (%d)", c.ref, len(arr))
		case assumed:
			v.add(Different, "%s: standbyClusterIds (the ids form; read too)", c.ref)
		default:
			v.results = append(v.results, NotChecked)
			v.seen = append(v.seen, c.ref+": no relation field (a primary without standbys may have none)")
		}
	}
	return v.result(), v.text()
}

func evalClusterSync(o *Observations) (Result, string) {
	var v verdicts
	for _, c := range clusters(o) {
		if c.obj.str("type") != "STANDBY" {
			continue
		}
		d, s := c.obj.kindOf("delayTime"), c.obj.str("syncStatus")
		switch {
		case !c.obj.has("delayTime") || !c.obj.has("syncStatus"):
			v.add(Missing, "%s: no %s", c.ref, quoteList(c.obj.missing("delayTime", "syncStatus")))
		case d != "number":
			v.add(Different, "%s: delayTime is a %s", c.ref, d)
		case !slices.Contains(clusterSyncStatuses, s):
			v.add(Different, "%s: delayTime %s, syncStatus %q", c.ref, c.obj["delayTime"], s)
		default:
			v.add(Held, "%s: delayTime %s, syncStatus %s", c.ref, c.obj["delayTime"], s)
		}
	}
	if len(v.results) == 0 {
		return NotChecked, "no STANDBY cluster among those read"
	}
	return v.result(), v.text()
}

func evalTaskListPage(o *Observations) (Result, string) {
	e := o.first(KindTaskList)
	if e == nil {
		return NotChecked, "not read"
	}
	data := asObject(dataOf(e))
	if data == nil {
		return Different, fmt.Sprintf("%s: %s", e.Request(), failure(e))
	}
	if data.kindOf("contents") != "array" {
		return Missing, fmt.Sprintf("no contents array (data keys %s)", quoteList(data.keys()))
	}
	page := data.obj("page")
	if page == nil {
		return Missing, "no page object: the client reads only the first page"
	}
	seen := "page keys " + quoteList(page.keys())
	if m := page.missing("totalElements", "number", "size"); len(m) > 0 {
		return Missing, seen + "; no " + quoteList(m)
	}
	switch {
	case page.has("totalPages"):
		return Held, seen + " (totalPages)"
	case page.has("totalPage"):
		return Held, seen + " (totalPage, the older spelling; read too)"
	}
	return Different, seen + ": neither totalPages nor totalPage (the client falls back to totalElements and size)"
}

// tasksSeen are the task objects read: the list's items, then the detail.
func tasksSeen(o *Observations) []named {
	var out []named
	for _, it := range listItems(o.first(KindTaskList)) {
		out = append(out, named{fmt.Sprintf("list item %d", taskIDOf(it)), it})
	}
	if d := asObject(dataOf(o.first(KindTaskDetail))); d != nil {
		out = append(out, named{fmt.Sprintf("task %d", taskIDOf(d)), d})
	}
	return out
}

// taskRefs decides a task's cluster and tenant form: objects (documented) or top-level ids (assumed).
func taskRefs(v *verdicts, t named) {
	cl, tn := t.obj.kindOf("cluster") == "object", t.obj.kindOf("tenant") == "object"
	topCl, topTn := t.obj.has("clusterId"), t.obj.has("tenantId")
	switch {
	case cl:
		form := "cluster{}"
		if tn {
			form += ", tenant{}"
		} else if topTn {
			form += ", top-level tenantId"
		}
		v.add(Held, "%s: %s", t.ref, form)
	case topCl:
		v.add(Different, "%s: top-level clusterId%s (the ids form; read too)", t.ref, map[bool]string{true: ", tenantId", false: ""}[topTn])
	default:
		v.add(Missing, "%s: neither cluster{} nor clusterId", t.ref)
	}
}

func evalTaskListItems(o *Observations) (Result, string) {
	items := listItems(o.first(KindTaskList))
	if len(items) == 0 {
		return NotChecked, "the task list's first page is empty"
	}
	var v verdicts
	for _, it := range items {
		taskRefs(&v, named{fmt.Sprintf("item %d", taskIDOf(it)), it})
	}
	return v.result(), summarize(&v)
}

// summarize shortens a long verdict list: the first finding of each result, and how many there were.
func summarize(v *verdicts) string {
	if len(v.seen) <= 3 {
		return v.text()
	}
	counts := map[Result]int{}
	first := map[Result]string{}
	for i, r := range v.results {
		counts[r]++
		if _, ok := first[r]; !ok {
			first[r] = v.seen[i]
		}
	}
	var parts []string
	for _, r := range Results {
		if counts[r] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s, e.g. %s", counts[r], r, first[r]))
		}
	}
	return strings.Join(parts, "; ")
}

// subtaskDAG are the subtask fields the waiter needs from the task detail.
var subtaskDAG = []string{"id", "name", "status", "timeout", "upstreams", "downstreams"}

func evalTaskDetail(o *Observations) (Result, string) {
	e := o.first(KindTaskDetail)
	if e == nil {
		return NotChecked, "no task read (the task list's first page is empty and no task_id given)"
	}
	d := asObject(dataOf(e))
	if d == nil {
		return Different, fmt.Sprintf("%s: %s", e.Ref, failure(e))
	}
	var v verdicts
	taskRefs(&v, named{e.Ref, d})
	subs, ok := asArray(d["subtasks"])
	switch {
	case !ok:
		v.add(Missing, "no subtasks array")
	case len(subs) == 0:
		v.add(Held, "no subtasks")
	default:
		var lacking []string
		for _, raw := range subs {
			lacking = append(lacking, asObject(raw).missing(subtaskDAG...)...)
		}
		if lacking = uniq(lacking); len(lacking) > 0 {
			v.add(Missing, "subtasks without %s", quoteList(lacking))
		} else {
			v.add(Held, "%d subtasks with %s", len(subs), quoteList(subtaskDAG))
		}
	}
	return v.result(), v.text()
}

func evalTaskCreator(o *Observations) (Result, string) {
	ts := tasksSeen(o)
	if len(ts) == 0 {
		return NotChecked, "no task read"
	}
	var v verdicts
	for _, t := range ts {
		switch k := t.obj.kindOf("creator"); k {
		case "object":
			if t.obj.obj("creator").str("name") == "" {
				v.add(Missing, "%s: creator{%s} without name", t.ref, quoteList(t.obj.obj("creator").keys()))
			} else {
				v.add(Held, "%s: creator{%s}", t.ref, quoteList(t.obj.obj("creator").keys()))
			}
		case "string":
			v.add(Different, "%s: creator is a string (read too)", t.ref)
		case "absent", "null":
			v.add(Missing, "%s: no creator", t.ref)
		default:
			v.add(Different, "%s: creator is a %s", t.ref, k)
		}
	}
	return v.result(), summarize(&v)
}

func evalTaskStatuses(o *Observations) (Result, string) {
	ts := tasksSeen(o)
	if len(ts) == 0 {
		return NotChecked, "no task read"
	}
	var tasks, subs, odd []string
	for _, t := range ts {
		s := t.obj.str("status")
		tasks = append(tasks, s)
		if !slices.Contains(taskStatuses, s) {
			odd = append(odd, fmt.Sprintf("%s: status %q", t.ref, s))
		}
		arr, _ := asArray(t.obj["subtasks"])
		for _, raw := range arr {
			st := asObject(raw).str("status")
			subs = append(subs, st)
			if !slices.Contains(subtaskStatuses, st) {
				odd = append(odd, fmt.Sprintf("%s: subtask status %q", t.ref, st))
			}
		}
	}
	seen := "tasks " + quoteList(sortedUniq(tasks))
	if len(subs) > 0 {
		seen += "; subtasks " + quoteList(sortedUniq(subs))
	}
	if len(odd) > 0 {
		return Different, quoteList(uniq(odd)) + " (treated as running); " + seen
	}
	return Held, seen
}

func sortedUniq(vs []string) []string {
	out := slices.Clone(vs)
	slices.Sort(out)
	return slices.Compact(out)
}

func evalTaskTimes(o *Observations) (Result, string) {
	ts := tasksSeen(o)
	if len(ts) == 0 {
		return NotChecked, "no task read"
	}
	var v verdicts
	check := func(ref string, obj object) {
		for _, f := range []string{"createTime", "startTime", "finishTime"} {
			switch k := obj.kindOf(f); k {
			case "absent", "null":
			case "string":
				if _, err := time.Parse(time.RFC3339Nano, obj.str(f)); err != nil {
					v.add(Different, "%s: %s %q is not RFC 3339", ref, f, obj.str(f))
				} else {
					v.add(Held, "%s: %s", ref, f)
				}
			default:
				v.add(Different, "%s: %s is a %s", ref, f, k)
			}
		}
	}
	for _, t := range ts {
		check(t.ref, t.obj)
		arr, _ := asArray(t.obj["subtasks"])
		for _, raw := range arr {
			if s := asObject(raw); s != nil {
				check(t.ref+" subtask", s)
			}
		}
	}
	if len(v.results) == 0 {
		return NotChecked, "no task time read"
	}
	if r := v.result(); r != Held {
		return r, summarize(&v)
	}
	return Held, fmt.Sprintf("%d times, all RFC 3339 with an offset", len(v.results))
}

func evalTaskNames(o *Observations) (Result, string) {
	ts := tasksSeen(o)
	if len(ts) == 0 {
		return NotChecked, "no task read"
	}
	var dr, other []string
	for _, t := range ts {
		n := t.obj.str("name")
		if slices.ContainsFunc(drTaskNames, func(d string) bool { return strings.EqualFold(strings.TrimSpace(n), d) }) {
			dr = append(dr, n)
		} else {
			other = append(other, n)
		}
	}
	if len(dr) > 0 {
		return Held, "DR tasks seen: " + quoteList(quoted(uniq(dr)))
	}
	other = uniq(other)
	if len(other) > 5 {
		other = append(other[:5], "…")
	}
	return NotChecked, "no DR task among those read; names seen: " + quoteList(quoted(other))
}

func quoted(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		if v == "…" {
			out[i] = v
			continue
		}
		out[i] = strconv.Quote(v)
	}
	return out
}

func evalNameFilter(o *Observations) (Result, string) {
	e := o.first(KindNameProbe)
	if e == nil {
		return NotChecked, "no task read (or none with a word of four letters in its name)"
	}
	want, _ := strconv.ParseInt(strings.TrimPrefix(e.Ref, "task "), 10, 64)
	data := asObject(dataOf(e))
	if data == nil {
		return Different, fmt.Sprintf("name=%s: %s", e.Query.Get("name"), failure(e))
	}
	items := listItems(e)
	for _, it := range items {
		if taskIDOf(it) == want {
			return Held, fmt.Sprintf("name=%s found task %d among %d", e.Query.Get("name"), want, len(items))
		}
	}
	if page := data.obj("page"); page != nil {
		pages := page.num("totalPages")
		if pages == "" {
			pages = page.num("totalPage")
		}
		if n, _ := strconv.Atoi(pages); n > 1 {
			return NotChecked, fmt.Sprintf("name=%s: task %d not on the first of %d pages", e.Query.Get("name"), want, n)
		}
	}
	return Different, fmt.Sprintf("name=%s did not find task %d (%d other tasks): the filter is exact or case-sensitive", e.Query.Get("name"), want, len(items))
}

func evalPrecheck(o *Observations) (Result, string) {
	e := o.first(KindPrecheck)
	if e == nil {
		return NotChecked, "not requested (the precheck is a POST, sent only when the precheck argument is set)"
	}
	if e.HTTPStatus != 200 {
		return Different, failure(e)
	}
	d := asObject(dataOf(e))
	if d == nil {
		return Different, "HTTP 200 without data"
	}
	if d.kindOf("valid") != "bool" {
		return Missing, "no valid (keys " + quoteList(d.keys()) + ")"
	}
	results, ok := asArray(d["standbyCheckResults"])
	if !ok {
		return Missing, "no standbyCheckResults array"
	}
	var v verdicts
	var findings []string
	for _, raw := range results {
		r := asObject(raw)
		checks, ok := asArray(r["checkResults"])
		if !ok {
			v.add(Missing, "a standby result without checkResults")
			continue
		}
		for _, c := range checks {
			c := asObject(c)
			switch {
			case c.kindOf("warning") != "bool" || c.kindOf("errorCode") != "string" || !c.has("errorMessage"):
				v.add(Different, "a check result with keys %s", quoteList(c.keys()))
			case string(c["warning"]) == "true":
				findings = append(findings, c.str("errorCode")+" (warning)")
			default:
				findings = append(findings, c.str("errorCode")+" (blocking)")
			}
		}
	}
	seen := fmt.Sprintf("HTTP 200, valid %s, %d standby results", d["valid"], len(results))
	if len(findings) > 0 {
		seen += ", findings " + quoteList(findings)
	}
	if r := v.result(); r != NotChecked {
		return r, v.text() + "; " + seen
	}
	return Held, seen
}

// Package compat checks the provider's assumptions about OCP's API against a real OCP: it reads the
// clusters and tenants it is given, one page of the task list, one task's detail, OCP's build information
// and the answer to an unknown task id, and says of each assumption whether it held, is missing or is
// different, with the fields OCP actually sent. It sends nothing but GET requests, except the switchover
// precheck (a POST that changes nothing in OCP), and only when a precheck pair is given.
//
// It knows nothing of Terraform: the ocp_api_compatibility data source maps it.
package compat

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
)

// Result is a check's verdict.
type Result string

const (
	// Held: OCP answered as the provider assumes.
	Held Result = "held"
	// Missing: OCP's answer lacks what the provider assumes.
	Missing Result = "missing"
	// Different: OCP answered in another form or with other values than assumed (some are accepted all the
	// same: the check's impact says so).
	Different Result = "different"
	// NotChecked: nothing read could tell (no task, no standby, no precheck asked for).
	NotChecked Result = "not checked"
)

// Results lists the verdicts in the order summaries use.
var Results = []Result{Held, Missing, Different, NotChecked}

// Check is one assumption and what OCP showed of it.
type Check struct {
	// ID names the check, e.g. "tenant.role".
	ID string `json:"id"`
	// Assumption is what the provider relies on.
	Assumption string `json:"assumption"`
	// Source is "[doc] <OCP API reference page>" or "[assumed] …".
	Source string `json:"source"`
	// Result is the verdict.
	Result Result `json:"result"`
	// Seen is what OCP sent that decided it: field names, forms, values (never hosts or credentials).
	Seen string `json:"seen"`
	// Impact is what the provider does with the fact, and what follows when it does not hold.
	Impact string `json:"impact"`
}

// TenantRef names a tenant to read.
type TenantRef struct{ ClusterID, TenantID int64 }

// PrecheckRef names a switchover precheck to send: the primary tenant (and its cluster) and its standby.
type PrecheckRef struct{ ClusterID, TenantID, StandbyTenantID int64 }

// Request says what to read.
type Request struct {
	Clusters []int64
	Tenants  []TenantRef
	// TaskID is the task whose detail is read; 0 takes the first task of the task list's first page.
	TaskID int64
	// Precheck, when not nil, sends OCP's switchover precheck (a POST that changes nothing). Nil: no POST.
	Precheck *PrecheckRef
}

// Client is what the check needs of the OCP client (*ocp.Client implements it).
type Client interface {
	GetRaw(ctx context.Context, path string, query url.Values) (*ocp.RawResponse, error)
	SwitchoverPrecheckRaw(ctx context.Context, primaryClusterID int64, req ocp.SwitchoverRequest) (*ocp.RawResponse, error)
	SignsWithAccessKey() bool
}

// Exchange is one request of the check and OCP's answer.
type Exchange struct {
	// Kind says what the request was for (see the kind constants).
	Kind string
	// Ref names the object asked for, e.g. "tenant 2000022 of cluster 3000009".
	Ref string
	// Method, Path and Query are the request (the path with /api/v2).
	Method, Path string
	Query        url.Values
	// HTTPStatus and Body are the answer as it came.
	HTTPStatus int
	Body       []byte
}

// Request is "METHOD /path?query".
func (e *Exchange) Request() string {
	s := e.Method + " " + e.Path
	if q := e.Query.Encode(); q != "" {
		s += "?" + q
	}
	return s
}

// Kinds of exchanges.
const (
	KindInfo       = "ocp info"
	KindCluster    = "cluster detail"
	KindTenant     = "tenant detail"
	KindTaskList   = "task list"
	KindTaskDetail = "task detail"
	KindNameProbe  = "task list by name keyword"
	KindNotFound   = "unknown task id"
	KindPrecheck   = "switchover precheck"
)

// Observations is everything the check read; Evaluate decides the checks from it alone.
type Observations struct {
	// AccessKey says the requests were signed with an AccessKey (else HTTP Basic).
	AccessKey bool
	// PrecheckRequested says a precheck was asked for.
	PrecheckRequested bool
	// Exchanges are the requests in the order sent.
	Exchanges []Exchange
}

// of returns the exchanges of a kind.
func (o *Observations) of(kind string) []*Exchange {
	var out []*Exchange
	for i := range o.Exchanges {
		if o.Exchanges[i].Kind == kind {
			out = append(out, &o.Exchanges[i])
		}
	}
	return out
}

// first returns the first exchange of a kind, or nil.
func (o *Observations) first(kind string) *Exchange {
	if es := o.of(kind); len(es) > 0 {
		return es[0]
	}
	return nil
}

// Paths of the reads. The unknown task id is the largest 64-bit id: no OCP allocates it.
const (
	infoPath      = "/info"
	taskListPath  = "/tasks/instances"
	unknownTaskID = math.MaxInt64
	// taskListPageSize is OCP's documented default page size.
	taskListPageSize = 10
	// probePageSize bounds the name-keyword probe's page.
	probePageSize = 100
)

// Run reads what req names from OCP and returns the observations. It fails only when OCP cannot be asked
// at all: a transport failure, or the credentials refused (HTTP 401). Every other answer, an error
// envelope or a 403 on one route included, is an observation.
func Run(ctx context.Context, c Client, req Request) (*Observations, error) {
	obs := &Observations{AccessKey: c.SignsWithAccessKey(), PrecheckRequested: req.Precheck != nil}
	get := func(kind, ref, path string, q url.Values) (*Exchange, error) {
		resp, err := c.GetRaw(ctx, path, q)
		return obs.record(kind, ref, resp, q, err)
	}

	if _, err := get(KindInfo, "OCP", infoPath, nil); err != nil {
		return nil, err
	}
	for _, id := range req.Clusters {
		if _, err := get(KindCluster, fmt.Sprintf("cluster %d", id), fmt.Sprintf("/ob/clusters/%d", id), nil); err != nil {
			return nil, err
		}
	}
	for _, t := range req.Tenants {
		if _, err := get(KindTenant, fmt.Sprintf("tenant %d of cluster %d", t.TenantID, t.ClusterID),
			fmt.Sprintf("/ob/clusters/%d/tenants/%d", t.ClusterID, t.TenantID), nil); err != nil {
			return nil, err
		}
	}

	list, err := get(KindTaskList, "tasks", taskListPath, url.Values{"page": {"1"}, "size": {strconv.Itoa(taskListPageSize)}})
	if err != nil {
		return nil, err
	}
	items := listItems(list)
	taskID := req.TaskID
	if taskID == 0 && len(items) > 0 {
		taskID = taskIDOf(items[0])
	}
	if taskID != 0 {
		detail, err := get(KindTaskDetail, fmt.Sprintf("task %d", taskID), fmt.Sprintf("%s/%d", taskListPath, taskID), nil)
		if err != nil {
			return nil, err
		}
		// The name probe looks for this task by a keyword of its name, in other letter case.
		probe := asObject(dataOf(detail))
		if probe == nil && len(items) > 0 {
			probe = items[0]
		}
		if q, ok := nameProbeQuery(probe); ok {
			if _, err := get(KindNameProbe, fmt.Sprintf("task %d", taskIDOf(probe)), taskListPath, q); err != nil {
				return nil, err
			}
		}
	}
	if _, err := get(KindNotFound, fmt.Sprintf("task %d", int64(unknownTaskID)), fmt.Sprintf("%s/%d", taskListPath, int64(unknownTaskID)), nil); err != nil {
		return nil, err
	}

	if p := req.Precheck; p != nil {
		resp, err := c.SwitchoverPrecheckRaw(ctx, p.ClusterID, ocp.SwitchoverRequest{TenantID: p.TenantID, StandbyTenantID: p.StandbyTenantID})
		if _, err := obs.record(KindPrecheck, fmt.Sprintf("tenant %d of cluster %d with standby tenant %d", p.TenantID, p.ClusterID, p.StandbyTenantID),
			resp, nil, err); err != nil {
			return nil, err
		}
	}
	return obs, nil
}

// record keeps an answer, or returns the error that stops the check.
func (o *Observations) record(kind, ref string, resp *ocp.RawResponse, q url.Values, err error) (*Exchange, error) {
	if resp == nil {
		if err == nil {
			err = errors.New("no answer")
		}
		return nil, err
	}
	if resp.HTTPStatus == http.StatusUnauthorized {
		return nil, err // the credentials: nothing else can be read either
	}
	o.Exchanges = append(o.Exchanges, Exchange{Kind: kind, Ref: ref, Method: resp.Method, Path: resp.Path, Query: q,
		HTTPStatus: resp.HTTPStatus, Body: resp.Body})
	return &o.Exchanges[len(o.Exchanges)-1], nil
}

// envelopeOf is the answer's body as an object (nil when it is not JSON).
func envelopeOf(e *Exchange) object {
	if e == nil {
		return nil
	}
	return asObject(e.Body)
}

// dataOf is the envelope's data of a successful answer (nil otherwise).
func dataOf(e *Exchange) []byte {
	if e == nil || e.HTTPStatus >= 300 {
		return nil
	}
	env := envelopeOf(e)
	if env == nil || env.kindOf("successful") != "bool" || string(env["successful"]) != "true" {
		return nil
	}
	return env["data"]
}

// listItems are the contents of a successful list answer.
func listItems(e *Exchange) []object {
	data := asObject(dataOf(e))
	arr, _ := asArray(data["contents"])
	var out []object
	for _, raw := range arr {
		if o := asObject(raw); o != nil {
			out = append(out, o)
		}
	}
	return out
}

// taskIDOf is a task's id (0 when absent or not an integer).
func taskIDOf(t object) int64 {
	n, err := strconv.ParseInt(t.num("id"), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// clusterIDOfTask is the task's cluster, from the documented object or the top-level id.
func clusterIDOfTask(t object) int64 {
	if c := t.obj("cluster"); c != nil {
		if n, err := strconv.ParseInt(c.num("id"), 10, 64); err == nil {
			return n
		}
	}
	n, _ := strconv.ParseInt(t.num("clusterId"), 10, 64)
	return n
}

// nameProbeQuery is the task list query that should find task t if OCP's name filter is a keyword match
// that ignores case: one word of its name (the first of four letters or more) in the other case, and its
// cluster. False when the task has no such word.
func nameProbeQuery(t object) (url.Values, bool) {
	if t == nil || taskIDOf(t) == 0 {
		return nil, false
	}
	kw := probeKeyword(t.str("name"))
	if kw == "" {
		return nil, false
	}
	q := url.Values{"name": {kw}, "page": {"1"}, "size": {strconv.Itoa(probePageSize)}}
	if c := clusterIDOfTask(t); c != 0 {
		q.Set("clusterId", strconv.FormatInt(c, 10))
	}
	return q, true
}

// probeKeyword is the first word of name with four letters or more, upper-cased (lower-cased when it is
// upper case already), so that only a match ignoring case finds it.
func probeKeyword(name string) string {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) < 4 {
			continue
		}
		if up := strings.ToUpper(w); up != w {
			return up
		}
		return strings.ToLower(w)
	}
	return ""
}

// Assess runs the check against OCP through c and reports it, redacted for c's URL and credentials.
func Assess(ctx context.Context, c *ocp.Client, req Request) (*Report, error) {
	obs, err := Run(ctx, c, req)
	if err != nil {
		return nil, err
	}
	return NewReport(obs, c.BaseURL(), NewRedactor(c.BaseURL(), c.RedactCredentials)), nil
}

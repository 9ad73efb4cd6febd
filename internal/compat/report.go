package compat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"text/tabwriter"
)

// Report is the check's outcome: the checks, the versions seen, and the answers they were decided on.
// Every text in it has been through the redactor.
type Report struct {
	// OCPVersion is OCP's build version (GET /api/v2/info), "" when OCP did not report it.
	OCPVersion string
	// OCPVersionNote says where the version came from, or why it is not reported.
	OCPVersionNote string
	// OBVersions are the OceanBase versions of the clusters and tenants read.
	OBVersions []string
	// Checks are the verdicts, in catalog order.
	Checks []Check
	// URL is OCP's base URL with its host redacted.
	URL string

	obs *Observations
	red *Redactor
}

// NewReport evaluates the observations; red redacts every text that leaves the check.
func NewReport(o *Observations, baseURL string, red *Redactor) *Report {
	r := &Report{OCPVersion: OCPVersion(o), OBVersions: OBVersions(o), Checks: Evaluate(o), URL: red.URL(baseURL), obs: o, red: red}
	for i := range r.Checks {
		r.Checks[i].Seen = red.String(r.Checks[i].Seen)
	}
	for i, v := range r.OBVersions {
		// "tenant 2000022 of cluster 3000009: 4.2.1.2": the ref is redacted, the version kept.
		if ref, ver, ok := strings.Cut(v, ": "); ok {
			r.OBVersions[i] = red.String(ref) + ": " + ver
		}
	}
	switch e := o.first(KindInfo); {
	case r.OCPVersion != "":
		r.OCPVersionNote = "GET /api/v2/info, buildVersion"
	case e == nil:
		r.OCPVersionNote = "not reported"
	default:
		r.OCPVersionNote = "not reported (GET /api/v2/info: " + red.String(failure(e)) + ")"
	}
	return r
}

// Summary counts the checks by result.
func (r *Report) Summary() map[Result]int {
	m := make(map[Result]int, len(Results))
	for _, res := range Results {
		m[res] = 0
	}
	for _, c := range r.Checks {
		m[c.Result]++
	}
	return m
}

// Requests counts the requests sent by method.
func (r *Report) Requests() map[string]int {
	m := map[string]int{}
	for _, e := range r.obs.Exchanges {
		m[e.Method]++
	}
	return m
}

// Table is the report as text for a terminal: a header with the versions and counts, then one line per
// check (result, id, source kind, what was seen).
func (r *Report) Table() string {
	var b strings.Builder
	version := r.OCPVersionNote
	if r.OCPVersion != "" {
		version = r.OCPVersion + " (" + r.OCPVersionNote + ")"
	}
	fmt.Fprintf(&b, "OCP API compatibility (terraform-provider-ocp)\n")
	fmt.Fprintf(&b, "OCP version:  %s\n", version)
	obv := "none read"
	if len(r.OBVersions) > 0 {
		obv = strings.Join(r.OBVersions, "; ")
	}
	fmt.Fprintf(&b, "OB versions:  %s\n", obv)
	s := r.Summary()
	fmt.Fprintf(&b, "Results:      %d held, %d missing, %d different, %d not checked\n", s[Held], s[Missing], s[Different], s[NotChecked])
	req := r.Requests()
	sent := fmt.Sprintf("%d GET", req[http.MethodGet])
	if n := req[http.MethodPost]; n > 0 {
		sent += fmt.Sprintf(", %d POST (the switchover precheck, which changes nothing)", n)
	}
	fmt.Fprintf(&b, "Requests:     %s\n\n", sent)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tCHECK\tSOURCE\tSEEN")
	for _, c := range r.Checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Result, c.ID, sourceKind(c.Source), c.Seen)
	}
	_ = tw.Flush()
	b.WriteString("\nEach check's assumption, source and impact: the checks attribute, or the provider's API compatibility guide.\n")
	return b.String()
}

// sourceKind is "doc", "assumed" or "doc+assumed".
func sourceKind(src string) string {
	d, a := strings.Contains(src, "[doc]"), strings.Contains(src, "[assumed]")
	switch {
	case d && a:
		return "doc+assumed"
	case a:
		return "assumed"
	}
	return "doc"
}

// reportJSON is the file a user attaches to a bug report.
type reportJSON struct {
	Tool           string         `json:"tool"`
	OCPURL         string         `json:"ocp_url"`
	OCPVersion     *string        `json:"ocp_version"`
	OCPVersionNote string         `json:"ocp_version_note"`
	OBVersions     []string       `json:"ob_versions"`
	Summary        map[Result]int `json:"summary"`
	Checks         []Check        `json:"checks"`
	Exchanges      []exchangeJSON `json:"exchanges"`
	Redaction      string         `json:"redaction"`
}

type exchangeJSON struct {
	Request    string          `json:"request"`
	For        string          `json:"for"`
	HTTPStatus int             `json:"http_status"`
	Response   json.RawMessage `json:"response"`
}

// redactionNote says what was removed from the report.
const redactionNote = "Credentials, the OCP host, host names, IP addresses and the values of host and secret fields are replaced " +
	"by <redacted>, <ocp-host>, <host> and <ip>; request headers are not recorded. Object keys are sorted."

// JSON is the report with every answer, redacted, for a bug report.
func (r *Report) JSON() ([]byte, error) {
	out := reportJSON{Tool: "terraform-provider-ocp: ocp_api_compatibility", OCPURL: r.URL, OCPVersionNote: r.OCPVersionNote,
		OBVersions: r.OBVersions, Summary: r.Summary(), Checks: r.Checks, Redaction: redactionNote}
	if out.OBVersions == nil {
		out.OBVersions = []string{}
	}
	if r.OCPVersion != "" {
		v := r.OCPVersion
		out.OCPVersion = &v
	}
	for _, e := range r.obs.Exchanges {
		out.Exchanges = append(out.Exchanges, exchangeJSON{Request: r.red.String(e.Request()), For: r.red.String(e.Kind + ": " + e.Ref),
			HTTPStatus: e.HTTPStatus, Response: r.red.JSON(e.Body)})
	}
	b, err := marshal(out)
	if err != nil {
		return nil, err
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, b, "", "  "); err != nil {
		return nil, err
	}
	return indented.Bytes(), nil
}

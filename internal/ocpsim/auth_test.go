package ocpsim_test

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// signAK signs req as OCP's AccessKey documentation describes, written from that documentation rather
// than from the simulator: method, MD5 hex (upper), content type, Date, host:port, x-ocp-* lines, sorted
// query with a repeated key's non-empty values sorted and comma-joined before encoding.
func signAK(t *testing.T, req *http.Request, ak, sk string, date time.Time) {
	t.Helper()
	var body []byte
	if req.GetBody != nil {
		rc, _ := req.GetBody()
		body, _ = io.ReadAll(rc)
	}
	md5hex := ""
	if len(body) > 0 {
		md5hex = strings.ToUpper(fmt.Sprintf("%x", md5.Sum(body)))
	}
	req.Header.Set("Date", date.UTC().Format(http.TimeFormat))
	var hdrs []string
	for k, v := range req.Header {
		if k := strings.ToLower(k); strings.HasPrefix(k, "x-ocp-") {
			hdrs = append(hdrs, k+":"+v[0])
		}
	}
	sort.Strings(hdrs)
	pq := req.URL.Path
	if q := req.URL.Query(); len(q) > 0 {
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			vs := slices.DeleteFunc(slices.Clone(q[k]), func(v string) bool { return v == "" })
			sort.Strings(vs)
			parts = append(parts, strings.ReplaceAll(url.QueryEscape(k), "+", "%20")+"="+
				strings.ReplaceAll(url.QueryEscape(strings.Join(vs, ",")), "+", "%20"))
		}
		pq += "?" + strings.Join(parts, "&")
	}
	toSign := strings.Join([]string{req.Method, md5hex, req.Header.Get("Content-Type"), req.Header.Get("Date"),
		req.URL.Host, strings.Join(hdrs, "\n"), pq}, "\n")
	mac := hmac.New(sha1.New, []byte(sk))
	mac.Write([]byte(toSign))
	req.Header.Set("Authorization", "OCP-ACCESS-KEY-HMACSHA1 "+ak+":"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

func TestBasicAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, ocpsim.Config{})
	e.do("GET", "/api/v2/ob/clusters/3000009", nil).ok(t, nil)

	req := e.newRequest("GET", "/api/v2/ob/clusters/3000009", nil)
	req.SetBasicAuth("admin", "wrong")
	e.send(req).fails(t, 401, "30001")

	req = e.newRequest("GET", "/api/v2/ob/clusters/3000009", nil)
	req.Header.Del("Authorization")
	r := e.send(req)
	r.fails(t, 401, "30001")

	// Auth applies to unknown URLs too.
	req = e.newRequest("GET", "/api/v2/nope", nil)
	req.Header.Del("Authorization")
	e.send(req).fails(t, 401, "30001")
}

func TestAccessKeyAuth(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 7, 23, 9, 20, 55, 0, time.UTC)
	e := newEnv(t, ocpsim.Config{Now: func() time.Time { return now }})
	ak, sk := ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey

	t.Run("GET with a sorted, escaped query and x-ocp headers", func(t *testing.T) {
		req := e.newRequest("GET", "/api/v2/tasks/instances?status=RUNNING,FAILED&name=Failover+tenant&page=1", nil)
		req.Header.Set("X-Ocp-Origin", "test")
		req.Header.Set("x-ocp-b", "2")
		signAK(t, req, ak, sk, now.Add(-2*time.Minute))
		e.send(req).ok(t, nil)
	})
	t.Run("POST with a body", func(t *testing.T) {
		req := e.newRequest("POST", precheckPath(clusterB, ohayo1), pair{ohayo1, ohayo2})
		signAK(t, req, ak, sk, now)
		e.send(req).ok(t, nil)
	})
	cases := []struct {
		name    string
		mutate  func(req *http.Request)
		ak      string
		date    time.Time
		message string
	}{
		{name: "bad signature", ak: ak, date: now, message: "signature",
			mutate: func(req *http.Request) { req.Header.Set("X-Ocp-Extra", "added after signing") }},
		{name: "unknown AK", ak: "AKNOPE", date: now, message: "Unknown AccessKey"},
		{name: "skewed date", ak: ak, date: now.Add(-16 * time.Minute), message: "away from the server clock"},
		{name: "future date", ak: ak, date: now.Add(20 * time.Minute), message: "away from the server clock"},
		{name: "missing date", ak: ak, date: now, message: "Date header",
			mutate: func(req *http.Request) { req.Header.Del("Date") }},
		{name: "unparseable date", ak: ak, date: now, message: "Unparseable Date",
			mutate: func(req *http.Request) { req.Header.Set("Date", "yesterday") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := e.newRequest("GET", "/api/v2/ob/clusters/3000009", nil)
			secret := sk
			signAK(t, req, c.ak, secret, c.date)
			if c.mutate != nil {
				c.mutate(req)
			}
			r := e.send(req)
			r.fails(t, 401, "30001")
			if !strings.Contains(r.env.Error.Message, c.message) {
				t.Errorf("message %q does not mention %q", r.env.Error.Message, c.message)
			}
		})
	}
}

// TestAccessKeyAuthRepeatedQueryKey checks OCP's rule for a repeated key on what arrives: a=2&a=1 and the
// single value a=1,2 both canonicalise to a=1%2C2, while a=2,1 (one value, not re-sorted) does not.
func TestAccessKeyAuthRepeatedQueryKey(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 7, 23, 9, 20, 55, 0, time.UTC)
	e := newEnv(t, ocpsim.Config{Now: func() time.Time { return now }})
	signed := e.newRequest("GET", "/api/v2/tasks/instances?status=RUNNING&status=FAILED&status=&page=1", nil)
	signAK(t, signed, ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey, now)
	for _, c := range []struct {
		query string
		ok    bool
	}{
		{"status=RUNNING&status=FAILED&status=&page=1", true},
		{"page=1&status=FAILED&status=RUNNING", true},
		{"page=1&status=FAILED,RUNNING", true},
		{"page=1&status=FAILED%2CRUNNING", true},
		{"page=1&status=RUNNING,FAILED", false},
		{"page=1&status=RUNNING", false},
	} {
		req := e.newRequest("GET", "/api/v2/tasks/instances?"+c.query, nil)
		for _, h := range []string{"Authorization", "Date"} {
			req.Header.Set(h, signed.Header.Get(h))
		}
		r := e.send(req)
		if c.ok && r.status == http.StatusUnauthorized {
			t.Errorf("%s: rejected: %s", c.query, r.raw)
		}
		if !c.ok && r.status != http.StatusUnauthorized {
			t.Errorf("%s: accepted (HTTP %d), want 401", c.query, r.status)
		}
	}
}

// TestAccessKeyAuthPageVectors sends the worked examples of OCP's signing page (OCP 4.2 docs,
// en.oceanbase.com/docs/common-ocp-10000000001187588; oceanbase/ocp-doc
// 200.api-reference/300.ak-sk-sign-roles.md) and the OCP 4.4 page's complete example
// (…10000000002854321, host 127.0.0.1:8080) with the page's signatures: the verifier must accept each
// (the routes are unknown to the simulator, so 400 means accepted) and reject it once tampered with.
func TestAccessKeyAuthPageVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ak, sk, method, host, pathQuery, contentType, body, date, ocpHeader, sig string
	}{
		{
			name: "example 1", ak: "cqammmxBpfGjFlto", sk: "2fc0c299cc94c6be266f2ceece765d4d",
			method: "POST", host: "ocp.alibaba.net:8080", pathQuery: "/api/v2/compute/idcs",
			contentType: "application/json", body: `{"name":"test01","description":"test","regionId":1}`,
			date: "Tue, 17 Jan 2023 09:13:57 GMT", ocpHeader: "x-ocp-data:A,1", sig: "XN8P+O+v3vUabB16ZCooq5wMJoY=",
		},
		{
			name: "example 2", ak: "cqammmxBpfGjFlto", sk: "2fc0c299cc94c6be266f2ceece765d4d",
			method: "GET", host: "ocp.alibaba.net:8080", pathQuery: "/api/v2/compute/idcs?size=100",
			contentType: "application/json;charset=utf-8",
			date:        "Tue, 17 Jan 2023 04:14:02 GMT", sig: "TsQD6HDOuZuJ409m0wdnZPmijlc=",
		},
		{
			// Sent in the page's parameter order with raw commas; "+" must arrive as %2B to mean "+".
			name: "4.4 complete example", ak: "gDCcIqbkJJINjXBn", sk: "d75332c5eed8d440a84a35ac6248d397",
			method: "GET", host: "127.0.0.1:8080",
			pathQuery: "/api/v2/monitor/top?metrics=host_disk_total&labels=svr_ip:127.0.0.1" +
				"&groupBy=app,svr_ip,device,mount_point&startTime=2024-04-15T14:29:55%2B08:00" +
				"&endTime=2024-04-15T14:30:55%2B08:00&maxPoints=360",
			contentType: "application/json", date: "Mon, 15 Apr 2024 09:25:02 GMT",
			ocpHeader: "x-ocp-origin:for-test", sig: "To11kg1EsB/dPWyDnnpuUzIUoQk=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now, err := http.ParseTime(tt.date)
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, ocpsim.Config{
				AccessKeys: map[string]string{tt.ak: tt.sk},
				Now:        func() time.Time { return now },
			})
			build := func() *http.Request {
				var body any
				if tt.body != "" {
					body = []byte(tt.body)
				}
				req := e.newRequest(tt.method, tt.pathQuery, body)
				req.Host = tt.host
				req.Header.Set("Content-Type", tt.contentType)
				if name, value, ok := strings.Cut(tt.ocpHeader, ":"); ok {
					req.Header.Set(name, value)
				}
				req.Header.Set("Date", tt.date)
				req.Header.Set("Authorization", "OCP-ACCESS-KEY-HMACSHA1 "+tt.ak+":"+tt.sig)
				return req
			}
			if r := e.send(build()); r.status == http.StatusUnauthorized {
				t.Fatalf("page example rejected: %s", r.raw)
			}
			tampered := build()
			tampered.Header.Set("Date", now.Add(time.Second).Format(http.TimeFormat))
			e.send(tampered).fails(t, http.StatusUnauthorized, "30001")
		})
	}
}

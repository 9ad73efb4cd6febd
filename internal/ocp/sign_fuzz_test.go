package ocp_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocp"
	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// FuzzSignatureAgainstSimulator signs arbitrary requests (path, query, body, x-ocp-* header) with the
// client's canonical string and has the simulator, whose verifier was written separately from the
// spec, check them after a trip through the HTTP wire format. A 401 means the two canonical strings
// disagree on some input: one of them misreads OCP's AccessKey signature page. Any other answer (400 for an
// unknown URL, 404, 200) means the signature was accepted. Each request is also re-sent with the
// query as url.Values.Encode writes it (repeated keys kept apart): OCP canonicalises what it receives,
// so that form must verify too.
func FuzzSignatureAgainstSimulator(f *testing.F) {
	for _, s := range []struct{ method, path, query, body, header string }{
		{"GET", "/api/v2/tasks/instances", "tenantId=2000022&status=RUNNING,FAILED&size=100&page=1", "", ""},
		{"GET", "/api/v2/tasks/instances", "name=Switchover ob tenant for network mode&b=2&a=1&a=0", "", ""},
		{"GET", "/api/v2/tasks/instances", "status=RUNNING&status=FAILED&status=&x=&x=a,b&x=a+b", "", ""},
		{"POST", "/api/v2/ob/clusters/3000009/tenants/2000022/switchover", "", `{"tenantId":2000022,"standbyTenantId":2000025}`, "mcp-server"},
		{"POST", "/api/v2/ob/clusters/1/failover", "", "", ""},
		{"GET", "/api/v2/x y/%2F/ü", "k=~!*'()&=&==&k+v=a%20b", "", "a:b"},
		{"DELETE", "/", "", "\x00\xff", " padded "},
	} {
		f.Add(s.method, s.path, s.query, []byte(s.body), s.header)
	}
	sim, err := ocpsim.New(ocpsim.Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(sim.Close)

	f.Fuzz(func(t *testing.T, method, path, query string, body []byte, header string) {
		if method != "GET" && method != "POST" && method != "PUT" && method != "DELETE" {
			method = "POST"
		}
		u, err := url.Parse("http://ocp.example.com:8080")
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + strings.TrimLeft(path, "/")
		q, err := url.ParseQuery(query)
		if err != nil {
			return // the client only sends queries it built from url.Values
		}
		u.RawQuery = q.Encode()
		req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
		if err != nil {
			return
		}
		if len(body) > 0 {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Body, req.ContentLength = nil, 0
		}
		if h := strings.TrimSpace(header); h != "" {
			if !validHeaderValue(h) {
				return
			}
			req.Header.Set("X-Ocp-Origin", h)
		}
		if err := ocp.SignRequest(req, body, ocpsim.DefaultAccessKey, ocpsim.DefaultSecretKey, time.Now()); err != nil {
			t.Fatal(err)
		}

		for _, rawQuery := range []string{req.URL.RawQuery, q.Encode()} {
			req.URL.RawQuery = rawQuery
			if len(body) > 0 {
				req.Body = io.NopCloser(bytes.NewReader(body))
			}
			// Over the wire and back, as the server would read it.
			var wire bytes.Buffer
			if err := req.Write(&wire); err != nil {
				return
			}
			in, err := http.ReadRequest(bufio.NewReader(&wire))
			if err != nil {
				return // not a request any server would accept either
			}
			rec := httptest.NewRecorder()
			sim.ServeHTTP(rec, in)
			if rec.Code == http.StatusUnauthorized {
				t.Fatalf("the simulator rejected the client's signature for %s %s (body %q, x-ocp-origin %q): %s",
					method, req.URL.RequestURI(), body, header, rec.Body.String())
			}
		}
	})
}

// validHeaderValue reports whether v survives as a header value unchanged (no control characters).
func validHeaderValue(v string) bool {
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

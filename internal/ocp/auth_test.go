package ocp

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// The expected signatures below were computed once, outside Go, with
//
//	printf '<string to sign>' | openssl dgst -sha1 -hmac <secret> -binary | base64
//
// and the body MD5 with `openssl dgst -md5`, so that the test does not check the code against itself.
var fixedDate = time.Date(2023, 1, 17, 3, 36, 1, 0, time.UTC)

const fixedDateHeader = "Tue, 17 Jan 2023 03:36:01 GMT"

func TestStringToSignVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string
		body        string
		contentType string
		host        string
		header      http.Header
		path        string
		query       url.Values
		secret      string
		want        string
		wantSig     string
	}{
		{
			name:   "GET with query, no body",
			method: "get", host: "ocp.example.com:8080", path: "/api/v2/tasks/instances",
			query:  url.Values{"tenantId": {"1002"}, "status": {"RUNNING"}, "name": {"Failover tenant"}},
			secret: "sk-secret-1",
			want: "GET\n\n\n" + fixedDateHeader + "\nocp.example.com:8080\n\n" +
				"/api/v2/tasks/instances?name=Failover%20tenant&status=RUNNING&tenantId=1002",
			wantSig: "7Rd7POAZfKDu2wD6cTQKziU+qNQ=",
		},
		{
			name:   "POST with JSON body and x-ocp headers",
			method: "POST", body: `{"tenantId":1001,"standbyTenantId":2001}`, contentType: "application/json",
			host:   "ocp.example.com:8080",
			header: http.Header{"X-Ocp-Origin": {"test"}, "X-Ocp-B": {"2"}, "Accept": {"application/json"}},
			path:   "/api/v2/ob/clusters/1/tenants/1001/switchover",
			secret: "sk-secret-2",
			want: "POST\n35320DE8FA1565ED9DD888C49A841750\napplication/json\n" + fixedDateHeader +
				"\nocp.example.com:8080\nx-ocp-b:2\nx-ocp-origin:test\n/api/v2/ob/clusters/1/tenants/1001/switchover",
			wantSig: "NStCFkXZ8S2PvOtkDZFCpJQqnoE=",
		},
		{
			name:   "POST without body",
			method: "POST", host: "127.0.0.1:8080", path: "/api/v2/ob/clusters/6/failover",
			secret:  "sk-secret-3",
			want:    "POST\n\n\n" + fixedDateHeader + "\n127.0.0.1:8080\n\n/api/v2/ob/clusters/6/failover",
			wantSig: "Zqh5oBGFckMo3NUHMz2iFFI0dmw=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			got := stringToSign(tt.method, body, tt.contentType, fixedDateHeader, tt.host, tt.header, tt.path, canonicalQuery(tt.query))
			if got != tt.want {
				t.Fatalf("stringToSign:\n got %q\nwant %q", got, tt.want)
			}
			if sig := signature(tt.secret, got); sig != tt.wantSig {
				t.Fatalf("signature %s, want %s", sig, tt.wantSig)
			}

			// SignRequest produces the same signature and sends the canonical query.
			u := "http://" + tt.host + tt.path
			if len(tt.query) > 0 {
				u += "?" + tt.query.Encode() // Go's encoding, deliberately not the canonical one
			}
			req, err := http.NewRequest(strings.ToUpper(tt.method), u, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.header {
				req.Header[k] = v
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if err := SignRequest(req, body, "AK1", tt.secret, fixedDate.In(time.FixedZone("CST", 8*3600))); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get("Date"); got != fixedDateHeader {
				t.Errorf("Date %q, want %q", got, fixedDateHeader)
			}
			if got, want := req.Header.Get("Authorization"), "OCP-ACCESS-KEY-HMACSHA1 AK1:"+tt.wantSig; got != want {
				t.Errorf("Authorization %q, want %q", got, want)
			}
			if got, want := req.URL.RawQuery, canonicalQuery(tt.query); got != want {
				t.Errorf("query sent %q, want %q", got, want)
			}
		})
	}
}

func TestCanonicalQueryEncodesLikePythonQuote(t *testing.T) {
	t.Parallel()
	// Expected values from python3: quote('a b', safe=''), quote('x/y+z&=é~*', safe='').
	got := canonicalQuery(url.Values{"b": {"2", "1"}, "a b": {"x/y+z&=é~*"}})
	want := "a%20b=x%2Fy%2Bz%26%3D%C3%A9~%2A&b=1&b=2"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if canonicalQuery(nil) != "" {
		t.Fatal("empty query must be empty")
	}
}

func TestAccessKeyRequestsAreSignedPerAttempt(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	var (
		mu    sync.Mutex
		dates []string
		calls int
	)
	s.handle("GET /api/v2/tasks/instances", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		dates = append(dates, r.Header.Get("Date"))
		mu.Unlock()
		// Verify as a server would: recompute from what arrived.
		want := stringToSign(r.Method, nil, r.Header.Get("Content-Type"), r.Header.Get("Date"), r.Host, r.Header,
			r.URL.EscapedPath(), r.URL.RawQuery)
		if got := r.Header.Get("Authorization"); got != "OCP-ACCESS-KEY-HMACSHA1 AK-test:"+signature("SK-test", want) {
			t.Errorf("bad signature %q for %q", got, want)
		}
		if r.URL.RawQuery != "clusterId=7&name=Failover%20OB%20cluster&page=1&size=100&status=RUNNING" {
			t.Errorf("query not canonical: %q", r.URL.RawQuery)
		}
		if n == 1 {
			writeError(w, http.StatusServiceUnavailable, 10010, "busy")
			return
		}
		writeOK(w, map[string]any{"contents": []Task{}})
	})
	var tick sync.Mutex
	clock := fixedDate
	c := s.client(func(cfg *Config) {
		cfg.Username, cfg.Password = "", ""
		cfg.AccessKeyID, cfg.AccessKeySecret = "AK-test", "SK-test"
		cfg.Now = func() time.Time {
			tick.Lock()
			defer tick.Unlock()
			clock = clock.Add(time.Second)
			return clock
		}
	})
	if _, err := c.FindRunningClusterFailover(t.Context(), 7); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dates) != 2 || dates[0] == dates[1] {
		t.Fatalf("want two attempts with fresh Date headers, got %q", dates)
	}
}

func TestBasicAuthHeader(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/ob/clusters/1", func(w http.ResponseWriter, r *http.Request) {
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:pw"))
		if got := r.Header.Get("Authorization"); got != want {
			t.Errorf("Authorization %q, want %q", got, want)
		}
		if r.Header.Get("Date") != "" {
			t.Error("Basic requests need no Date header")
		}
		writeOK(w, Cluster{ID: 1, Name: "c1", Status: "RUNNING", Type: ClusterPrimary})
	})
	cl, err := s.client().GetCluster(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if cl.Type != ClusterPrimary || cl.Name != "c1" {
		t.Fatalf("got %+v", cl)
	}
}

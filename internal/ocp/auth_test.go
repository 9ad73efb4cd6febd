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
			// OCP's rule for a repeated key: one entry, non-empty values sorted and joined by ",", the
			// joined value percent-encoded (comma %2C). Canonical string derived by hand.
			name:   "GET with a repeated key",
			method: "GET", host: "ocp.example.com:8080", path: "/api/v2/tasks/instances",
			query:  url.Values{"status": {"RUNNING", "FAILED"}, "tenantId": {"1002"}, "x": {"", "b a", "a+b"}},
			secret: "sk-secret-4",
			want: "GET\n\n\n" + fixedDateHeader + "\nocp.example.com:8080\n\n" +
				"/api/v2/tasks/instances?status=FAILED%2CRUNNING&tenantId=1002&x=a%2Bb%2Cb%20a",
			wantSig: "emTzqJupQjbYUooFeN+rwx5Vnps=",
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
	// Expected values from python3: quote('a b', safe=''), quote('x/y+z&=é~*', safe=''), quote('1,2', safe='').
	got := canonicalQuery(url.Values{"b": {"2", "1"}, "a b": {"x/y+z&=é~*"}})
	want := "a%20b=x%2Fy%2Bz%26%3D%C3%A9~%2A&b=1%2C2"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if canonicalQuery(nil) != "" {
		t.Fatal("empty query must be empty")
	}
}

// TestCanonicalQueryRepeatedKeys pins OCP's rule for repeated keys and that the form sent is stable.
func TestCanonicalQueryRepeatedKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		q    url.Values
		want string
	}{
		{"values sorted, comma encoded", url.Values{"a": {"3", "1", "2"}}, "a=1%2C2%2C3"},
		{"one comma value keeps its order", url.Values{"status": {"RUNNING,FAILED"}}, "status=RUNNING%2CFAILED"},
		{"empty values dropped", url.Values{"a": {"", "1", ""}}, "a=1"},
		{"only empty values", url.Values{"a": {"", ""}, "b": {"x"}}, "a=&b=x"},
		{"sorted before encoding", url.Values{"k": {"b", "B", "a b", "a~"}}, "k=B%2Ca%20b%2Ca~%2Cb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := canonicalQuery(tt.q)
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			// The client sends this form; OCP re-canonicalises what it receives to the same string.
			back, err := url.ParseQuery(got)
			if err != nil {
				t.Fatal(err)
			}
			if again := canonicalQuery(back); again != got {
				t.Fatalf("sent %q re-canonicalises to %q", got, again)
			}
		})
	}
}

// TestSignRequestPageVectors reproduces the worked examples of OCP's "AK/SK signature generation
// rules" page (OCP 4.2 docs, en.oceanbase.com/docs/common-ocp-10000000001187588 and its Chinese
// version; oceanbase/ocp-doc 200.api-reference/300.ak-sk-sign-roles.md), and the complete example of
// the OCP 4.4 version of that page (…10000000002854321, whose Java sample signs host 127.0.0.1:8080):
// a comma inside one value is encoded %2C, a "+" %2B.
func TestSignRequestPageVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, ak, sk, method, url, contentType, body, date string
		header                                             http.Header
		wantToSign, wantAuth                               string
	}{
		{
			name: "example 1: POST with body and x-ocp header",
			ak:   "cqammmxBpfGjFlto", sk: "2fc0c299cc94c6be266f2ceece765d4d",
			method: "POST", url: "http://ocp.alibaba.net:8080/api/v2/compute/idcs",
			contentType: "application/json", body: `{"name":"test01","description":"test","regionId":1}`,
			header: http.Header{"X-Ocp-Data": {"A,1"}},
			date:   "Tue, 17 Jan 2023 09:13:57 GMT",
			wantToSign: "POST\n186974DB33A090A16D3E2CA35F547B56\napplication/json\nTue, 17 Jan 2023 09:13:57 GMT\n" +
				"ocp.alibaba.net:8080\nx-ocp-data:A,1\n/api/v2/compute/idcs",
			wantAuth: "OCP-ACCESS-KEY-HMACSHA1 cqammmxBpfGjFlto:XN8P+O+v3vUabB16ZCooq5wMJoY=",
		},
		{
			name: "example 2: GET with query, no body",
			ak:   "cqammmxBpfGjFlto", sk: "2fc0c299cc94c6be266f2ceece765d4d",
			method: "GET", url: "http://ocp.alibaba.net:8080/api/v2/compute/idcs?size=100",
			contentType: "application/json;charset=utf-8",
			date:        "Tue, 17 Jan 2023 04:14:02 GMT",
			wantToSign: "GET\n\napplication/json;charset=utf-8\nTue, 17 Jan 2023 04:14:02 GMT\n" +
				"ocp.alibaba.net:8080\n\n/api/v2/compute/idcs?size=100",
			wantAuth: "OCP-ACCESS-KEY-HMACSHA1 cqammmxBpfGjFlto:TsQD6HDOuZuJ409m0wdnZPmijlc=",
		},
		{
			name: "4.4 complete example: comma and plus inside values",
			ak:   "gDCcIqbkJJINjXBn", sk: "d75332c5eed8d440a84a35ac6248d397",
			method: "GET",
			url: "http://127.0.0.1:8080/api/v2/monitor/top?metrics=host_disk_total&labels=svr_ip:127.0.0.1" +
				"&groupBy=app,svr_ip,device,mount_point&startTime=2024-04-15T14:29:55%2B08:00" +
				"&endTime=2024-04-15T14:30:55%2B08:00&maxPoints=360",
			contentType: "application/json",
			header:      http.Header{"X-Ocp-Origin": {"for-test"}},
			date:        "Mon, 15 Apr 2024 09:25:02 GMT",
			wantToSign: "GET\n\napplication/json\nMon, 15 Apr 2024 09:25:02 GMT\n127.0.0.1:8080\nx-ocp-origin:for-test\n" +
				"/api/v2/monitor/top?endTime=2024-04-15T14%3A30%3A55%2B08%3A00&groupBy=app%2Csvr_ip%2Cdevice%2Cmount_point" +
				"&labels=svr_ip%3A127.0.0.1&maxPoints=360&metrics=host_disk_total&startTime=2024-04-15T14%3A29%3A55%2B08%3A00",
			wantAuth: "OCP-ACCESS-KEY-HMACSHA1 gDCcIqbkJJINjXBn:To11kg1EsB/dPWyDnnpuUzIUoQk=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now, err := http.ParseTime(tt.date)
			if err != nil {
				t.Fatal(err)
			}
			req, body := signPageRequest(t, tt.method, tt.url, tt.contentType, tt.body, tt.header)
			if err := SignRequest(req, body, tt.ak, tt.sk, now); err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get("Date"); got != tt.date {
				t.Errorf("Date %q, want %q", got, tt.date)
			}
			got := stringToSign(req.Method, body, req.Header.Get("Content-Type"), req.Header.Get("Date"), req.Host,
				req.Header, req.URL.EscapedPath(), req.URL.RawQuery)
			if got != tt.wantToSign {
				t.Errorf("string to sign:\n got %q\nwant %q", got, tt.wantToSign)
			}
			if got := req.Header.Get("Authorization"); got != tt.wantAuth {
				t.Errorf("Authorization %q, want %q", got, tt.wantAuth)
			}
		})
	}
}

// signPageRequest builds a request as the page's examples describe it.
func signPageRequest(t *testing.T, method, rawURL, contentType, body string, header http.Header) (*http.Request, []byte) {
	t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	return req, b
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

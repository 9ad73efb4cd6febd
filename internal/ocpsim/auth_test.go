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
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ocpdr/terraform-provider-ocp/internal/ocpsim"
)

// signAK signs req as OCP's AccessKey documentation describes, written from that documentation rather
// than from the simulator: method, MD5 hex (upper), content type, Date, host:port, x-ocp-* lines,
// sorted query.
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
			for _, v := range q[k] {
				parts = append(parts, strings.ReplaceAll(url.QueryEscape(k), "+", "%20")+"="+strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
			}
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

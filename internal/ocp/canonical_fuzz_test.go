package ocp

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// FuzzCanonicalString checks the pieces of the AccessKey string to sign on arbitrary input: the
// canonical query decodes to one value per key, that key's non-empty values sorted and joined by ","
// (OCP's rule for repeated keys), is in sorted order, is its own
// canonical form (so the URL sent is the one signed), uses only unreserved characters and %XX escapes;
// and the string to sign has its seven fields in order. FuzzSignatureAgainstSimulator (package ocp_test)
// cross-checks the whole signature with the simulator's verifier.
func FuzzCanonicalString(f *testing.F) {
	f.Add("tenantId=2000022&status=RUNNING%2CFAILED&size=100&page=1", "POST", []byte(`{"a":1}`), "/api/v2/tasks/instances")
	f.Add("b=2&a=1&a=0&name=Switchover+ob+tenant", "GET", []byte(nil), "/api/v2/x")
	f.Add("k=~!*'()&=&==&%E4%B8%AD=%F0%9F%98%80", "get", []byte("\x00"), "/a%20b")
	f.Fuzz(func(t *testing.T, rawQuery, method string, body []byte, path string) {
		q, err := url.ParseQuery(rawQuery)
		if err != nil || strings.ContainsRune(method+path, '\n') {
			return // the client sends neither: methods are constants and paths are escaped
		}
		c := canonicalQuery(q)
		for i := 0; i < len(c); i++ {
			ch := c[i]
			unreserved := 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || strings.IndexByte("-._~=&%", ch) >= 0
			if !unreserved {
				t.Fatalf("canonical query %q has a raw %q", c, ch)
			}
		}
		back, err := url.ParseQuery(c)
		if err != nil {
			t.Fatalf("canonical query %q does not parse: %v", c, err)
		}
		if len(back) != len(q) {
			t.Fatalf("canonical query %q has %d keys, want %d", c, len(back), len(q))
		}
		for k, vs := range q {
			var nonEmpty []string
			for _, v := range vs {
				if v != "" {
					nonEmpty = append(nonEmpty, v)
				}
			}
			want, got := []string{strings.Join(slices.Sorted(slices.Values(nonEmpty)), ",")}, back[k]
			if !slices.Equal(want, got) {
				t.Fatalf("key %q: values %q became %q", k, vs, got)
			}
		}
		if again := canonicalQuery(back); again != c {
			t.Fatalf("not idempotent: %q then %q", c, again)
		}
		var keys []string
		for _, pair := range strings.Split(c, "&") {
			if pair != "" {
				k, _, _ := strings.Cut(pair, "=")
				keys = append(keys, k)
			}
		}
		decoded := make([]string, len(keys))
		for i, k := range keys {
			decoded[i], _ = url.QueryUnescape(k)
		}
		if !slices.IsSorted(decoded) {
			t.Fatalf("keys of %q are not sorted", c)
		}

		h := http.Header{}
		h.Set("X-Ocp-Origin", "mcp-server")
		s := stringToSign(method, body, "application/json", "Tue, 17 Jan 2023 03:36:01 GMT", "ocp.example.com:8080", h, path, c)
		fields := strings.SplitN(s, "\n", 6)
		if len(fields) != 6 || fields[0] != strings.ToUpper(method) || fields[2] != "application/json" ||
			fields[3] != "Tue, 17 Jan 2023 03:36:01 GMT" || fields[4] != "ocp.example.com:8080" {
			t.Fatalf("string to sign %q has its fields out of place", s)
		}
		if md5hex := fields[1]; (len(body) == 0) != (md5hex == "") || (md5hex != "" && (len(md5hex) != 32 || strings.ToUpper(md5hex) != md5hex)) {
			t.Fatalf("body MD5 field %q for a %d-byte body", md5hex, len(body))
		}
		wantTail := "x-ocp-origin:mcp-server\n" + path
		if c != "" {
			wantTail += "?" + c
		}
		if fields[5] != wantTail {
			t.Fatalf("tail %q, want %q", fields[5], wantTail)
		}
	})
}

package ocp

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestGetRaw(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("GET /api/v2/ob/clusters/1", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "a=1&b=2" {
			t.Errorf("query %q", r.URL.RawQuery)
		}
		writeOK(w, map[string]any{"id": 1, "standbyClusterIds": []int{2}})
	})
	s.handle("GET /api/v2/tasks/instances/9", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, 20000, "The 9 task does not exist.")
	})
	s.handle("GET /api/v2/info", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"artifact":"ocp-server","buildVersion":"4.2.1"}`)
	})
	c := s.client()
	ctx := t.Context()

	resp, err := c.GetRaw(ctx, "/ob/clusters/1", url.Values{"b": {"2"}, "a": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Method != http.MethodGet || resp.Path != "/api/v2/ob/clusters/1" || resp.HTTPStatus != 200 ||
		string(resp.Data) != `{"id":1,"standbyClusterIds":[2]}` || !strings.Contains(string(resp.Body), `"successful":true`) {
		t.Fatalf("success: %+v (%s)", resp, resp.Body)
	}

	resp, err = c.GetRaw(ctx, "/tasks/instances/9", nil)
	var api *APIError
	if !errors.As(err, &api) || api.Code != "20000" || resp == nil || resp.HTTPStatus != 404 || resp.Data != nil ||
		!strings.Contains(string(resp.Body), "does not exist") {
		t.Fatalf("error envelope: %+v, %v", resp, err)
	}

	// OCP documents GET /api/v2/info without an envelope: the body is kept, the error says so.
	resp, err = c.GetRaw(ctx, "/info", nil)
	if !IsDecodeError(err) || resp == nil || resp.HTTPStatus != 200 || !strings.Contains(string(resp.Body), `"buildVersion":"4.2.1"`) {
		t.Fatalf("bare JSON: %+v, %v", resp, err)
	}

	for _, bad := range []string{"ob/clusters/1", "/api/v2/ob/clusters/1", "/tasks?x=1", ""} {
		if _, err := c.GetRaw(ctx, bad, nil); err == nil {
			t.Errorf("GetRaw(%q) accepted a path that is not below /api/v2", bad)
		}
	}
}

// The raw precheck sends the documented POST with its body, once per call.
func TestSwitchoverPrecheckRaw(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	s.handle("POST /api/v2/ob/clusters/3/tenants/10/switchoverPreCheck", func(w http.ResponseWriter, r *http.Request) {
		var body SwitchoverRequest
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.TenantID != 10 || body.StandbyTenantID != 11 {
			t.Errorf("body %+v, %v", body, err)
		}
		writeOK(w, map[string]any{"valid": true, "standbyCheckResults": []any{}})
	})
	resp, err := s.client().SwitchoverPrecheckRaw(t.Context(), 3, SwitchoverRequest{TenantID: 10, StandbyTenantID: 11})
	if err != nil || resp.Method != http.MethodPost || string(resp.Data) != `{"standbyCheckResults":[],"valid":true}` {
		t.Fatalf("%+v, %v", resp, err)
	}
	if n := s.count("POST /api/v2/ob/clusters/3/tenants/10/switchoverPreCheck"); n != 1 {
		t.Fatalf("%d prechecks sent", n)
	}
}

func TestRedactCredentials(t *testing.T) {
	t.Parallel()
	basic, err := New(Config{URL: "https://ocp.example.com", Username: "admin", Password: "s3cret-Pw"})
	if err != nil {
		t.Fatal(err)
	}
	ak, err := New(Config{URL: "https://ocp.example.com", AccessKeyID: "AKID12345", AccessKeySecret: "sk-secret-value"})
	if err != nil {
		t.Fatal(err)
	}
	short, err := New(Config{URL: "https://ocp.example.com", Username: "u", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c       *Client
		in, out string
	}{
		{basic, "admin", "<redacted>"},
		{basic, "administrator", "administrator"}, // the username only as a whole value
		{basic, "password=s3cret-Pw;x", "password=<redacted>;x"},
		{basic, "s3cret-Pw", "<redacted>"},
		{ak, "key AKID12345 signed with sk-secret-value", "key <redacted> signed with <redacted>"},
		{ak, "admin", "admin"},
		{short, "pw", "<redacted>"},
		{short, "pwned", "pwned"}, // a password under 4 characters only as a whole value
	} {
		if got := tc.c.RedactCredentials(tc.in); got != tc.out {
			t.Errorf("RedactCredentials(%q) = %q, want %q", tc.in, got, tc.out)
		}
	}
	if !ak.SignsWithAccessKey() || basic.SignsWithAccessKey() {
		t.Error("SignsWithAccessKey")
	}
}

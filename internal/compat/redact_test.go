package compat

import (
	"encoding/json"
	"strings"
	"testing"
)

func testRedactor() *Redactor {
	creds := func(s string) string {
		if s == "admin" {
			return "<redacted>"
		}
		return strings.ReplaceAll(s, "Passw0rd-xyz", "<redacted>")
	}
	return NewRedactor("https://ocp01.corp.example:8080", creds)
}

func TestRedactString(t *testing.T) {
	t.Parallel()
	r := testRedactor()
	for _, tc := range []struct{ in, out string }{
		{"connect to OCP01.corp.example:8080 failed", "connect to <ocp-host>:8080 failed"},
		{"agent on 10.0.0.1:2881 and 192.168.1.20", "agent on <ip>:2881 and <ip>"},
		{"node fe80::1 and 2001:db8::42.", "node <ip> and <ip>."},
		{"in Foo::bar at 17:20:55", "in Foo::bar at 17:20:55"},
		{"see https://obproxy.internal:2883/path?q=1", "see https://<host>/path?q=1"},
		{"host db-01.prod.lan is down", "host <host> is down"},
		{"Failed to convert java.lang.String", "Failed to convert <host>"}, // better too much than too little
		{"2024-07-23T17:20:55.929+08:00", "2024-07-23T17:20:55.929+08:00"},
		{"delayTime 1.25, obVersion 4.2.1.2, latency 10,000 ms.", "delayTime 1.25, obVersion 4.2.1.2, latency 10,000 ms."},
		{"version 3.2.4.5 but 3.2.4.5 alone", "version 3.2.4.5 but <ip> alone"},
		{"Switchover ob tenant for network mode", "Switchover ob tenant for network mode"},
		{"utf8mb4_general_ci FULL{1}@zone1 ohayo_1", "utf8mb4_general_ci FULL{1}@zone1 ohayo_1"},
		{"password is Passw0rd-xyz!", "password is <redacted>!"},
		{"admin", "<redacted>"},
	} {
		if got := r.String(tc.in); got != tc.out {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.out)
		}
	}
	if got := r.URL("https://ocp01.corp.example:8080/ocp"); got != "https://<ocp-host>:8080/ocp" {
		t.Errorf("URL: %q", got)
	}
}

func TestRedactJSON(t *testing.T) {
	t.Parallel()
	r := testRedactor()
	body := `{"data":{"executor":"10.0.0.1","server":"a83ad33525","svrIp":"10.0.0.2","hostName":"ob1.example.net","obVersion":"4.2.1.2",
		"buildVersion":"4.2.1.2","password":"x","accessKeySecret":12345,"apiToken":null,"creator":{"id":1,"name":"admin"},
		"message":"cannot reach ocp01.corp.example (10.0.0.3)","hosts":["10.0.0.4","10.0.0.5"],"name":"ohayo_1","count":3,
		"url":"https://ocp01.corp.example:8080","note":"<b>"},"successful":true,"traceId":"94bc249dd98d432f"}`
	got := string(r.JSON([]byte(body)))
	var v struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal([]byte(got), &v); err != nil {
		t.Fatalf("redacted JSON does not parse: %v\n%s", err, got)
	}
	d := v.Data
	for key, want := range map[string]any{
		"executor": "<host>", "server": "<host>", "svrIp": "<host>", "hostName": "<host>", "obVersion": "4.2.1.2",
		"buildVersion": "4.2.1.2", "password": "<redacted>", "accessKeySecret": "<redacted>", "apiToken": nil,
		"message": "cannot reach <ocp-host> (<ip>)", "name": "ohayo_1", "count": float64(3), "url": "<host>", "note": "<b>",
	} {
		if d[key] != want {
			t.Errorf("%s: %v, want %v", key, d[key], want)
		}
	}
	if c := d["creator"].(map[string]any); c["name"] != "<redacted>" {
		t.Errorf("creator: %v", c)
	}
	if h := d["hosts"].([]any); h[0] != "<ip>" || h[1] != "<ip>" {
		t.Errorf("hosts: %v", h)
	}
	if !strings.Contains(got, `"traceId":"94bc249dd98d432f"`) || strings.Contains(got, `\u003c`) {
		t.Errorf("trace id lost or placeholders escaped: %s", got)
	}
	for _, leak := range []string{"10.0.0", "ocp01", "example", "Passw0rd", "12345"} {
		if strings.Contains(got, leak) {
			t.Errorf("%q survived redaction: %s", leak, got)
		}
	}

	// Not JSON (a proxy's page): redacted as text, kept as a JSON string.
	html := r.JSON([]byte("<html>502 from nginx at 10.1.1.1 (ocp01.corp.example)</html>"))
	var s string
	if err := json.Unmarshal(html, &s); err != nil || s != "<html>502 from nginx at <ip> (<ocp-host>)</html>" {
		t.Errorf("HTML body: %s (%v)", html, err)
	}
}

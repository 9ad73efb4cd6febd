package ocp

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for everything the client decodes from OCP. `go test` (and so `make test`) runs each on
// its seed corpus; `make fuzz` runs each for a while. What they hold the decoders to: never panic; an
// answer is either decoded or a typed error (*APIError or *DecodeError) whose message is printable; an
// HTTP error status or successful:false is never taken for success; and what decodes re-encodes to the
// same value.

var envelopeSeeds = []struct {
	status int
	body   string
}{
	{200, `{"data":{"id":5000000001,"name":"Switchover ob tenant for network mode","status":"RUNNING","creator":"admin","subtasks":[{"id":7000000001,"name":"Prepare switchover tenant","status":"SUCCESSFUL","upstreams":[],"downstreams":[7000000002]}]},"successful":true,"timestamp":"2024-07-23T17:20:55.98+08:00","duration":396,"status":200,"traceId":"94bc249dd98d432f","server":"3af57a8e6b"}`},
	{200, `{"data":{"id":2000022,"name":"ohayo_1","clusterId":3000009,"status":"NORMAL","tenantRole":"PRIMARY","logSyncDelayMillis":12},"successful":true,"status":200,"traceId":"t"}`},
	{200, `{"data":{"valid":false,"tenantId":2000022,"standbyCheckResults":[{"valid":false,"tenantId":2000025,"syncScn":1721726455000000000,"checkResults":[{"warning":false,"errorCode":"OBE26009","errorMessage":"log delay"}]}]},"successful":true,"status":200}`},
	{200, `{"data":{"contents":[{"id":1,"name":"Failover tenant","status":"FAILED","creator":{"id":1,"name":"admin"}}],"page":{"totalElements":1,"totalPages":1,"number":1,"size":100}},"successful":true}`},
	{200, `{"data":{"contents":[],"page":{"totalElements":0,"totalPage":0,"number":1,"size":10}},"successful":true}`},
	{404, `{"successful":false,"status":404,"traceId":"abc","error":{"code":60018,"message":"Tenant not found."}}`},
	{400, `{"successful":false,"status":400,"error":{"code":"OBE26009","message":"x"}}`},
	{200, `{"successful":false,"status":409,"traceId":"t","error":{"code":60100,"message":"Tenant busy."}}`},
	{200, `{"successful":false}`},
	{500, `{"successful":false,"status":500}`},
	{502, `<html><body>Bad Gateway</body></html>`},
	{200, `{"data":{"id":1002,`},
	{200, `{"id":1}`},
	{200, `{"successful":true,"data":null}`},
	{200, `{"successful":true,"data":[1]}`},
	{200, `{"successful":"yes"}`},
	{200, `{"successful":true,"data":{"id":1e400}}`},
	{200, `{"successful":true,"data":{"id":-9223372036854775808,"status":"PAUSED","startTime":"not a time"}}`},
	{200, "\xff\xfe{}"},
	{204, ``},
	{301, `{"successful":true,"data":{}}`},
}

// FuzzDecodeEnvelope feeds arbitrary bodies and statuses to the one envelope decoder, decoding data as
// each type the client asks for.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range envelopeSeeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 100 + (status%500+500)%500
		}
		outs := []any{nil, &Task{}, &Tenant{}, &Cluster{}, &PrecheckResult{}, &listData[Task]{}}
		for _, out := range outs {
			err := decodeEnvelope("GET", "/api/v2/x", &response{status: status, body: body}, out)
			if err == nil {
				if status >= 300 {
					t.Fatalf("HTTP %d decoded as success: %q", status, body)
				}
				var env envelope
				if json.Unmarshal(body, &env) != nil || env.Successful == nil || !*env.Successful {
					t.Fatalf("success without successful:true: %q", body)
				}
				continue
			}
			var (
				apiErr *APIError
				decErr *DecodeError
			)
			switch {
			case errors.As(err, &apiErr):
				if apiErr.HTTPStatus < 300 {
					// successful:false with HTTP 2xx keeps a failure status for classification.
					if apiErr.HTTPStatus != status {
						t.Fatalf("APIError status %d from HTTP %d", apiErr.HTTPStatus, status)
					}
				}
			case errors.As(err, &decErr):
				if !utf8.ValidString(decErr.Body) || len(decErr.Body) > 200 {
					t.Fatalf("body excerpt not printable or too long: %q", decErr.Body)
				}
			default:
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if msg := err.Error(); msg == "" || !strings.Contains(msg, "/api/v2/x") {
				t.Fatalf("error message %q does not name the request", msg)
			}
		}
	})
}

// roundTrip checks that v, once decoded, re-encodes and decodes to the same value: nothing the decoder
// accepted is lost or changed on the way to the provider's state.
func roundTrip[T any](t *testing.T, data []byte) {
	t.Helper()
	var v T
	if json.Unmarshal(data, &v) != nil {
		return
	}
	enc, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("re-encoding %+v: %v", v, err)
	}
	var w T
	if err := json.Unmarshal(enc, &w); err != nil {
		t.Fatalf("decoding our own encoding %s: %v", enc, err)
	}
	if !reflect.DeepEqual(normalise(v), normalise(w)) {
		t.Fatalf("round trip changed the value:\n%+v\n%+v", v, w)
	}
}

// normalise makes times comparable with DeepEqual (a decoded time keeps its zone's name and offset).
func normalise(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// FuzzDecodeTask: TaskInstance and WrappedTaskInstance (creator string or object), statuses OCP may add,
// ids beyond 2^32, missing and odd times.
func FuzzDecodeTask(f *testing.F) {
	for _, s := range envelopeSeeds {
		var env envelope
		if json.Unmarshal([]byte(s.body), &env) == nil && len(env.Data) > 0 {
			f.Add([]byte(env.Data))
		}
	}
	f.Add([]byte(`{"id":5000000001,"creator":{"username":"u"},"status":"UNKNOWN_NEW","startTime":"2024-07-23T17:20:55.929+08:00","finishTime":null,"subtasks":[{"id":1,"status":"FAILED"},{"id":2,"status":"CANCELING"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var task Task
		if json.Unmarshal(data, &task) == nil {
			// Whatever the status, the waiter's view of it is total: terminal or still running.
			_ = task.Status.Terminal()
			for _, s := range task.FailedSubtasks() {
				if s.Status != SubtaskFailed {
					t.Fatalf("FailedSubtasks returned %s", s.Status)
				}
			}
		}
		roundTrip[Task](t, data)
		roundTrip[listData[Task]](t, data)
	})
}

// FuzzDecodeTenant: the tenant detail, with the [assumed] DR fields.
func FuzzDecodeTenant(f *testing.F) {
	f.Add([]byte(`{"id":2000025,"name":"ohayo_2","clusterId":3000010,"clusterName":"OB424_A","status":"NORMAL","tenantRole":"STANDBY","primaryTenantId":2000022,"syncStatus":"STANDBY LOG NOT MATCH","logSyncDelayMillis":0,"serviceName":"s"}`))
	f.Add([]byte(`{"id":1,"tenantRole":null,"logSyncDelayMillis":null}`))
	f.Add([]byte(`{"id":"1"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		roundTrip[Tenant](t, data)
		roundTrip[Cluster](t, data)
	})
}

// FuzzDecodePrecheck: SwitchoverPreCheckResult, whose verdict decides whether a switchover may start.
func FuzzDecodePrecheck(f *testing.F) {
	f.Add([]byte(envelopeSeeds[2].body))
	f.Add([]byte(`{"valid":true,"standbyCheckResults":[{"valid":true,"checkResults":[{"warning":true,"errorCode":"OBE26107"}]}]}`))
	f.Add([]byte(`{"valid":"true"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var env envelope
		if json.Unmarshal(data, &env) == nil && len(env.Data) > 0 {
			data = env.Data
		}
		roundTrip[PrecheckResult](t, data)
	})
}

// FuzzErrorCode: error.code is a number on some OCP versions and a string on others.
func FuzzErrorCode(f *testing.F) {
	for _, s := range []string{`60018`, `"60018"`, `"OBE26009"`, `null`, `1.5`, `-1`, `1e3`, `true`, `{}`, `[]`, `"\u0000"`, `99999999999999999999`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c ErrorCode
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		trimmed := bytes.TrimSpace(data)
		if n, ok := c.Int(); ok {
			// A numeric code survives as the same number whichever way OCP sent it.
			if trimmed[0] != '"' && string(trimmed) != string(c) {
				t.Fatalf("number %s became %q (%d)", trimmed, c, n)
			}
		}
		if trimmed[0] == '"' {
			var s string
			if err := json.Unmarshal(trimmed, &s); err != nil || s != string(c) {
				t.Fatalf("string code %s became %q", trimmed, c)
			}
		}
		// The code is shown to operators inside an *APIError message.
		e := &APIError{HTTPStatus: 400, Code: c, Method: "POST", Path: "/api/v2/x"}
		if !strings.Contains(e.Error(), "HTTP 400") {
			t.Fatalf("message %q", e.Error())
		}
		_ = isBusyCode(c)
	})
}

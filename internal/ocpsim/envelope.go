package ocpsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"
)

// timeLayout is how OCP writes instants: RFC 3339 with milliseconds and the offset.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func formatTime(t time.Time) string { return t.Format(timeLayout) }

// envelope is OCP's response wrapper, for success and failure alike.
type envelope struct {
	Data       any        `json:"data,omitempty"`
	Successful bool       `json:"successful"`
	Timestamp  string     `json:"timestamp"`
	Duration   int64      `json:"duration"`
	Status     int        `json:"status"`
	TraceID    string     `json:"traceId"`
	Server     string     `json:"server"`
	Error      *errorBody `json:"error,omitempty"`
}

// errorBody is the envelope's error. A numeric code is a JSON number or a string, as the scenario decides,
// because OCP versions disagree and clients must cope with both; OCP's string codes (OBE21005) are
// always strings.
type errorBody struct {
	Code    any    `json:"code"`
	Message string `json:"message"`
}

// wireCode is how code goes on the wire.
func (s *Sim) wireCode(code string) any {
	if s.settings.ErrorCodesAsStrings || !isDigits(code) {
		return code
	}
	return json.Number(code)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// newTraceID returns 16 random hex digits, like OCP's trace ids.
func newTraceID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// writeEnvelope answers c with data (success) or e (failure). It returns the status written.
func (s *Sim) writeEnvelope(w http.ResponseWriter, c *call, data any, e *Error) int {
	now := s.now()
	env := envelope{
		Timestamp: formatTime(now),
		Duration:  max(0, now.Sub(c.start).Milliseconds()),
		TraceID:   c.traceID,
		Server:    s.server,
	}
	if e != nil {
		env.Status = e.Status
		env.Error = &errorBody{Code: s.wireCode(e.Code), Message: e.Message}
	} else {
		env.Status = http.StatusOK
		env.Successful = true
		env.Data = data
	}
	body, err := json.Marshal(env)
	if err != nil {
		// Only a programming error can get here: every payload is a plain struct.
		s.log.Error("encoding response", "error", err, "traceId", c.traceID)
		env = envelope{Status: 500, TraceID: c.traceID, Timestamp: env.Timestamp, Server: s.server,
			Error: &errorBody{Code: s.wireCode(CodeUnexpected), Message: "internal simulator error"}}
		body, _ = json.Marshal(env)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(env.Status)
	_, _ = w.Write(body)
	return env.Status
}

package ocpsim

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"
)

// call is one request on its way through the pipeline.
type call struct {
	r       *http.Request
	route   string
	start   time.Time
	traceID string
	user    string
	body    []byte
}

// handlerFunc handles an authenticated request: data for the success envelope (nil for none), or the
// refusal.
type handlerFunc func(c *call) (any, *Error)

// maxBody bounds request bodies; OCP's are small JSON documents.
const maxBody = 1 << 20

// routes registers every route behind the common pipeline; "/" catches unknown URLs, which OCP answers
// with 400 rather than 404.
func (s *Sim) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for key, h := range map[string]handlerFunc{
		RouteTenant:          s.handleTenant,
		RouteTenantList:      s.handleTenantList,
		RouteCluster:         s.handleCluster,
		RoutePrecheck:        s.handlePrecheck,
		RouteSwitchover:      s.handleSwitchover,
		RouteTenantFailover:  s.handleTenantFailover,
		RouteClusterFailover: s.handleClusterFailover,
		RouteTaskDetail:      s.handleTaskDetail,
		RouteTaskList:        s.handleTaskList,
		RouteTaskRetry:       s.handleTaskRetry,
		RouteTaskRollback:    s.handleTaskRollback,
	} {
		mux.Handle(key, s.pipeline(key, h))
	}
	mux.Handle("/", s.pipeline(RouteUnknown, func(c *call) (any, *Error) {
		return nil, badRequest("No handler found for %s %s.", c.r.Method, c.r.URL.Path)
	}))
	return mux
}

// pipeline wraps h with what every route shares, in order: counting, an outage (no effect), injected
// latency, injected failures and connections dropped before the effect (no effect), authentication,
// the handler, dropped answers, the envelope and the log line.
func (s *Sim) pipeline(route string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{r: r, route: route, start: s.now()}
		if !s.settings.EmptyTraceIDs {
			c.traceID = newTraceID()
		}
		s.mu.Lock()
		s.counters.Requests[route]++
		latency := s.faults.latency[route]
		outage := s.faults.outage
		s.mu.Unlock()

		// Read the body first: net/http notices a client hanging up (and cancels the request context)
		// only once the body has been consumed, and injected latency must honour that.
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			s.answer(w, c, nil, badRequest("Could not read the request body: %v.", err))
			return
		}
		c.body = body

		if outage != OutageNone {
			s.answerOutage(w, c, outage)
			return
		}

		if latency > 0 {
			t := time.NewTimer(latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				s.log.Debug("request abandoned by the client during injected latency", "method", r.Method, "path", r.URL.Path, "traceId", c.traceID)
				return
			}
		}

		s.mu.Lock()
		fault, faulted := s.takeRequestFault(route)
		dropBefore := !faulted && takeDrop(s.faults.dropBefore, route)
		s.mu.Unlock()
		if faulted {
			if fault.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(fault.retryAfter.Seconds()))))
			}
			if fault.status == http.StatusTooManyRequests {
				// OCP's documented 429 sample has an empty trace id (and code 0, faultError's).
				c.traceID = ""
			}
			s.answer(w, c, nil, faultError(fault.status))
			return
		}
		if dropBefore {
			s.dropConnection(w, c, "dropping the connection before any effect (injected)")
			return
		}

		user, e := s.authenticate(r, body)
		if e != nil {
			s.answer(w, c, nil, e)
			return
		}
		c.user = user

		data, e := h(c)

		s.mu.Lock()
		drop := takeDrop(s.faults.drop, route)
		s.mu.Unlock()
		if drop {
			s.dropConnection(w, c, "request took effect; dropping the connection (injected)")
			return
		}
		s.answer(w, c, data, e)
	})
}

// answer writes the envelope and logs the request: mutations at INFO, reads (polling) at DEBUG.
func (s *Sim) answer(w http.ResponseWriter, c *call, data any, e *Error) {
	status := s.writeEnvelope(w, c, data, e)
	args := []any{"method", c.r.Method, "path", c.r.URL.Path, "status", status, "traceId", c.traceID}
	if e != nil {
		args = append(args, "code", e.Code, "message", e.Message)
	}
	if c.r.Method == http.MethodGet && e == nil {
		s.log.Debug("request", args...)
	} else {
		s.log.Info("request", args...)
	}
}

// gatewayPage is what a reverse proxy in front of a dead OCP answers (nginx's 502 page).
const gatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// answerOutage fails c as the outage mode says, without acting.
func (s *Sim) answerOutage(w http.ResponseWriter, c *call, mode OutageMode) {
	switch mode {
	case OutageGateway:
		s.log.Info("request during an outage: 502 from the gateway (injected)", "method", c.r.Method, "path", c.r.URL.Path)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(gatewayPage))
	case OutageReset:
		s.dropConnection(w, c, "request during an outage: dropping the connection (injected)")
	default: // Outage503 (SetOutage admits no other mode)
		s.answer(w, c, nil, errf(http.StatusServiceUnavailable, CodeUnexpected, "Service unavailable (simulated outage)."))
	}
}

// dropConnection closes the connection without an answer; why says when, for the log.
func (s *Sim) dropConnection(w http.ResponseWriter, c *call, why string) {
	s.log.Info(why, "method", c.r.Method, "path", c.r.URL.Path, "traceId", c.traceID)
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// HTTP/2 or a recorder: net/http aborts the stream without a response on this panic.
	panic(http.ErrAbortHandler)
}

// pathID parses the numeric path value name.
func pathID(c *call, name string) (int64, *Error) {
	v := c.r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, badRequest("Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: %q.", v)
	}
	return id, nil
}

// decodeBody parses the JSON body into v. Unknown fields are accepted, as Jackson does by default.
func decodeBody(c *call, v any) *Error {
	if len(c.body) == 0 {
		return badRequest("Required request body is missing.")
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return badRequest("JSON parse error: %v.", err)
	}
	return nil
}

// creator is the task creator for the calling user.
func (s *Sim) creator(c *call) TaskCreator {
	return TaskCreator{ID: s.userIDs[c.user], Name: c.user}
}

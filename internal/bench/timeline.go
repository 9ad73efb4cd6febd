package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Request kinds the timeline tells apart.
const (
	kindTenant   = "tenant"   // GET a tenant's detail
	kindLookup   = "lookup"   // task list filtered by tenant or cluster: "is an operation already running?"
	kindList     = "list"     // task list by status only: the poller's tick
	kindCheck    = "check"    // task list page of one task: the provider's credentials check at configuration
	kindDetail   = "detail"   // GET a task's detail
	kindStart    = "start"    // POST starting a failover or switchover
	kindPrecheck = "precheck" // POST switchover precheck
	kindOther    = "other"
)

// reqRecord is one request the simulator answered, as the benchmark's handler saw it.
type reqRecord struct {
	kind       string
	start, end time.Time
}

// timeline records every request served to the provider, and the TCP connections it opened, so that a
// scenario can say where its time went (which requests ran when, how long they took) without TF_LOG,
// whose volume at 200 resources distorts what it measures.
type timeline struct {
	mu    sync.Mutex
	reqs  []reqRecord
	conns int
}

func classify(r *http.Request) string {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && p == "/api/v2/tasks/instances":
		q := r.URL.Query()
		switch {
		case q.Has("tenantId") || q.Has("clusterId"):
			return kindLookup
		case !q.Has("status") && q.Get("size") == "1":
			return kindCheck
		}
		return kindList
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v2/tasks/instances/"):
		return kindDetail
	case r.Method == http.MethodGet && strings.Contains(p, "/tenants/"):
		return kindTenant
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/switchoverPreCheck"):
		return kindPrecheck
	case r.Method == http.MethodPost && (strings.HasSuffix(p, "/failover") || strings.HasSuffix(p, "/switchover")):
		return kindStart
	}
	return kindOther
}

// serve starts an httptest server for h that records into tl.
func (tl *timeline) serve(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := reqRecord{kind: classify(r), start: time.Now()}
		h.ServeHTTP(w, r)
		rec.end = time.Now()
		tl.mu.Lock()
		tl.reqs = append(tl.reqs, rec)
		tl.mu.Unlock()
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			tl.mu.Lock()
			tl.conns++
			tl.mu.Unlock()
		}
	}
	srv.Start()
	return srv
}

// mark returns a position in the timeline to take requests from.
func (tl *timeline) mark() (int, int) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return len(tl.reqs), tl.conns
}

// since returns the requests recorded after the mark, by start time, and the connections opened since.
func (tl *timeline) since(reqMark, connMark int) ([]reqRecord, int) {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	rs := slices.Clone(tl.reqs[reqMark:])
	slices.SortFunc(rs, func(a, b reqRecord) int { return a.start.Compare(b.start) })
	return rs, tl.conns - connMark
}

// kindSpan is what the requests of one kind did: how many, when the first started and the last ended
// (relative to t0), and their median and total duration.
type kindSpan struct {
	n                   int
	first, last         time.Duration
	median, p95, total  time.Duration
	firstEnd, lastStart time.Duration
}

func spans(rs []reqRecord, t0 time.Time) map[string]*kindSpan {
	durs := map[string][]time.Duration{}
	out := map[string]*kindSpan{}
	for _, r := range rs {
		s := out[r.kind]
		if s == nil {
			s = &kindSpan{first: r.start.Sub(t0), firstEnd: r.end.Sub(t0)}
			out[r.kind] = s
		}
		s.n++
		s.last = max(s.last, r.end.Sub(t0))
		s.lastStart = max(s.lastStart, r.start.Sub(t0))
		d := r.end.Sub(r.start)
		s.total += d
		durs[r.kind] = append(durs[r.kind], d)
	}
	for k, s := range out {
		s.median, s.p95 = percentiles(durs[k])
	}
	return out
}

// describe words the spans of the given kinds, in that order: "lookup 400 [0.61s..2.10s, median 4ms]".
func describeSpans(sp map[string]*kindSpan, kinds ...string) string {
	var parts []string
	for _, k := range kinds {
		s := sp[k]
		if s == nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d [%s..%s, each median %s p95 %s]", k, s.n, fmtDur(s.first), fmtDur(s.last),
			fmtMs(s.median), fmtMs(s.p95)))
	}
	return strings.Join(parts, ", ")
}

func fmtMs(d time.Duration) string {
	return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
}

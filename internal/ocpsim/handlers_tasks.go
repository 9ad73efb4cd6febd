package ocpsim

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Task list paging limits, as OCP's.
const (
	defaultPageSize = 10
	maxPageSize     = 2000
)

// page is the paging block of a paged list; number is 1-based. The page count is spelt totalPages, or
// totalPage under LegacyTotalPage: exactly one of the two is set.
type page struct {
	TotalElements int  `json:"totalElements"`
	TotalPages    *int `json:"totalPages,omitempty"`
	TotalPage     *int `json:"totalPage,omitempty"`
	Number        int  `json:"number"`
	Size          int  `json:"size"`
}

type pagedTasks struct {
	Contents []any `json:"contents"`
	Page     page  `json:"page"`
}

// handleTaskDetail is the WrappedTaskInstance: subtasks included, creator as an object, the rest as the
// shape mode has it (views_tasks.go).
func (s *Sim) handleTaskDetail(c *call) (any, *Error) {
	id, e := pathID(c, "id")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.tasks[id]
	if !ok {
		return nil, taskNotFound(id)
	}
	return s.taskDetail(rec), nil
}

// handleTaskList filters by tenantId, clusterId, name (a keyword: a case-insensitive substring of the
// task's name, as OCP's fuzzy match) and status (comma-separated and repeatable), newest first, paged
// (size at most 2000). Items are in the shape mode's list form (views_tasks.go). Other parameters
// (type, tenantName, hostId, sort) are accepted and ignored.
func (s *Sim) handleTaskList(c *call) (any, *Error) {
	q := c.r.URL.Query()
	intParam := func(name string, def int64) (int64, *Error) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, badRequest("Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long' for parameter %s; For input string: %q.", name, v)
		}
		return n, nil
	}
	tenantID, e := intParam("tenantId", 0)
	if e != nil {
		return nil, e
	}
	clusterID, e := intParam("clusterId", 0)
	if e != nil {
		return nil, e
	}
	pageNo, e := intParam("page", 1)
	if e != nil {
		return nil, e
	}
	size, e := intParam("size", defaultPageSize)
	if e != nil {
		return nil, e
	}
	if pageNo < 1 || size < 1 {
		return nil, badRequest("page and size must be positive.")
	}
	size = min(size, maxPageSize)
	statuses := map[string]bool{}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				statuses[strings.ToUpper(st)] = true
			}
		}
	}
	name := strings.ToLower(q.Get("name"))

	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*taskRec
	for _, rec := range s.tasks {
		t := &rec.t
		if (tenantID != 0 && t.TenantID != tenantID) || (clusterID != 0 && t.ClusterID != clusterID) ||
			(name != "" && !strings.Contains(strings.ToLower(t.Name), name)) || (len(statuses) > 0 && !statuses[t.Status]) {
			continue
		}
		all = append(all, rec)
	}
	slices.SortFunc(all, func(a, b *taskRec) int { return cmp.Compare(b.t.ID, a.t.ID) })
	total := len(all)
	from := total
	if pageNo-1 <= int64(total)/size {
		from = min(int((pageNo-1)*size), total)
	}
	to := min(from+int(size), total)
	items := make([]any, 0, to-from)
	for _, rec := range all[from:to] {
		items = append(items, s.taskListItem(rec))
	}
	pages := (total + int(size) - 1) / int(size)
	pg := page{TotalElements: total, TotalPages: &pages, Number: int(pageNo), Size: int(size)}
	if s.settings.LegacyTotalPage {
		pg.TotalPages, pg.TotalPage = nil, &pages
	}
	return pagedTasks{Contents: items, Page: pg}, nil
}

func (s *Sim) handleTaskRetry(c *call) (any, *Error) {
	id, e := pathID(c, "id")
	if e != nil {
		return nil, e
	}
	t, e := s.doRetry(id)
	if e != nil {
		return nil, e
	}
	return t, nil
}

// handleTaskRollback answers without data, as OCP's rollback does.
func (s *Sim) handleTaskRollback(c *call) (any, *Error) {
	id, e := pathID(c, "id")
	if e != nil {
		return nil, e
	}
	return nil, s.doRollback(id)
}

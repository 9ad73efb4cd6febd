package ocpsim

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Paging limits of OCP's paged lists.
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

// pagedList is the data of a paged list: the page's items and the paging block.
type pagedList struct {
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
	tenantID, e := queryInt(q, "tenantId", 0)
	if e != nil {
		return nil, e
	}
	clusterID, e := queryInt(q, "clusterId", 0)
	if e != nil {
		return nil, e
	}
	f, e := listFilterOf(q)
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*taskRec
	for _, rec := range s.tasks {
		t := &rec.t
		if (tenantID != 0 && t.TenantID != tenantID) || (clusterID != 0 && t.ClusterID != clusterID) || !f.admits(t.Name, t.Status) {
			continue
		}
		all = append(all, rec)
	}
	slices.SortFunc(all, func(a, b *taskRec) int { return cmp.Compare(b.t.ID, a.t.ID) })
	from, to, pg := s.pageOf(len(all), f.pageNo, f.size)
	items := make([]any, 0, to-from)
	for _, rec := range all[from:to] {
		items = append(items, s.taskListItem(rec))
	}
	return pagedList{Contents: items, Page: pg}, nil
}

// queryInt reads an integer query parameter, def when absent; a non-integer is OCP's 400.
func queryInt(q url.Values, name string, def int64) (int64, *Error) {
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

// listFilter is what OCP's paged lists filter by: the page, a name keyword (the simulator's reading of
// OCP's fuzzy match: a case-insensitive substring) and statuses (comma-separated, repeatable).
type listFilter struct {
	pageNo, size int64
	name         string // lower-cased
	statuses     map[string]bool
}

func listFilterOf(q url.Values) (listFilter, *Error) {
	pageNo, size, e := pageParams(q)
	if e != nil {
		return listFilter{}, e
	}
	return listFilter{pageNo: pageNo, size: size, name: strings.ToLower(q.Get("name")), statuses: statusParam(q)}, nil
}

// admits reports whether an item called name in status passes the name and status filters.
func (f listFilter) admits(name, status string) bool {
	return (f.name == "" || strings.Contains(strings.ToLower(name), f.name)) && (len(f.statuses) == 0 || f.statuses[status])
}

// pageParams reads a paged list's page (1-based, default 1) and size (default 10, capped at 2000).
func pageParams(q url.Values) (pageNo, size int64, e *Error) {
	if pageNo, e = queryInt(q, "page", 1); e != nil {
		return 0, 0, e
	}
	if size, e = queryInt(q, "size", defaultPageSize); e != nil {
		return 0, 0, e
	}
	if pageNo < 1 || size < 1 {
		return 0, 0, badRequest("page and size must be positive.")
	}
	return pageNo, min(size, maxPageSize), nil
}

// statusParam reads a status filter: comma-separated and repeatable, upper-cased.
func statusParam(q url.Values) map[string]bool {
	statuses := map[string]bool{}
	for _, v := range q["status"] {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				statuses[strings.ToUpper(st)] = true
			}
		}
	}
	return statuses
}

// pageOf returns the bounds [from, to) of page pageNo of a list of total items, and its paging block.
// Call with s.mu held (the spelling of the page count is a setting).
func (s *Sim) pageOf(total int, pageNo, size int64) (from, to int, pg page) {
	from = total
	if pageNo-1 <= int64(total)/size {
		from = min(int((pageNo-1)*size), total)
	}
	to = min(from+int(size), total)
	pages := (total + int(size) - 1) / int(size)
	pg = page{TotalElements: total, TotalPages: &pages, Number: int(pageNo), Size: int(size)}
	if s.settings.LegacyTotalPage {
		pg.TotalPages, pg.TotalPage = nil, &pages
	}
	return from, to, pg
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

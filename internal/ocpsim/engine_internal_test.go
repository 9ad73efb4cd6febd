package ocpsim

import (
	"testing"
	"time"
)

// A diamond DAG: a → (b, c) → d. The shipped templates are chains, but the engine must run parallel
// branches at once and join them.
func TestParallelBranchesRunConcurrently(t *testing.T) {
	t.Parallel()
	s, err := New(Config{StepDuration: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.templates[OpClusterFailover] = &taskTemplate{name: "diamond", steps: []stepTemplate{
		{name: "a", parallelIdx: -1},
		{name: "b", parallelIdx: 0, ups: []int{0}},
		{name: "c", parallelIdx: 1, ups: []int{0}},
		{name: "d", parallelIdx: -1, ups: []int{1, 2}},
	}}
	task, e := s.doClusterFailover(TaskCreator{Name: "admin"}, 3000012)
	if e != nil {
		t.Fatal(e)
	}
	deadline := time.Now().Add(5 * time.Second)
	var got Task
	for {
		got, _ = s.Task(task.ID)
		if got.Status != TaskRunning || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if got.Status != TaskSuccessful {
		t.Fatalf("task %s", got.Status)
	}
	b, _ := got.SubtaskByName("b")
	c, _ := got.SubtaskByName("c")
	d, _ := got.SubtaskByName("d")
	if !b.StartTime.Before(*c.FinishTime) || !c.StartTime.Before(*b.FinishTime) {
		t.Errorf("b and c did not overlap: b %v–%v, c %v–%v", b.StartTime, b.FinishTime, c.StartTime, c.FinishTime)
	}
	if d.StartTime.Before(*b.FinishTime) || d.StartTime.Before(*c.FinishTime) {
		t.Errorf("d started before the join")
	}
	if n := s.templates[OpClusterFailover].longestPath(s.weight); n != 3 {
		t.Errorf("longestPath = %v, want 3", n)
	}
	if n := switchoverTemplate.longestPath(s.weight); n != 10 {
		t.Errorf("switchover longestPath = %v, want 10", n)
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10000: "10,000", 14883430: "14,883,430", -1234: "-1,234"} {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// A subtask's weight makes it run that many steps; with TaskDuration, the weighted longest path still
// adds up to the whole task.
func TestSubtaskWeights(t *testing.T) {
	t.Parallel()
	s, err := New(Config{StepDuration: 10 * time.Millisecond, SubtaskWeights: map[string]float64{"Failover to primary tenant": 20}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tmpl := s.templates[OpTenantFailover]
	heavy := -1
	for i, st := range tmpl.steps {
		if st.name == "Failover to primary tenant" {
			heavy = i
		}
	}
	if heavy < 0 {
		t.Fatal("no such subtask")
	}
	if got := s.stepFor(OpTenantFailover, heavy); got != 200*time.Millisecond {
		t.Errorf("heavy step %v, want 200ms", got)
	}
	if got := s.stepFor(OpTenantFailover, (heavy+1)%len(tmpl.steps)); got != 10*time.Millisecond {
		t.Errorf("light step %v, want 10ms", got)
	}
	s.taskDuration = time.Second
	total := tmpl.longestPath(s.weight)
	if got := s.stepFor(OpTenantFailover, heavy); got != time.Duration(float64(time.Second)*20/total) {
		t.Errorf("heavy step with TaskDuration %v (longest path %.0f steps)", got, total)
	}
}

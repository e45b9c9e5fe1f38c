package state

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 2, 4, 0, 0, 0, time.UTC)

func TestResolve(t *testing.T) {
	if got := Resolve("web1-data"); got != "/var/lib/replmon-plugins/web1-data" {
		t.Errorf("bare name: %s", got)
	}
	if got := Resolve("./x.json"); got != "./x.json" {
		t.Errorf("relative path: %s", got)
	}
}

// TestRoundTrip: what a run saves, the next one reads.
func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	st, f, note, err := Open(path, "check A", now)
	if err != nil || note != "" || !st.Saving() || f.Cycle != 1 || !f.Started.Equal(now) {
		t.Fatalf("fresh: %v %q %+v", err, note, f)
	}
	f.Table("db.t").Cursor = []string{"42"}
	f.Remember(Range{Table: "db.t", Replica: "r1", Key: []string{"id"}, Lo: []string{"1"}, Hi: []string{"9"}, State: "drifted", Found: Time{now}})
	if err := st.Save(f); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st2, f2, note, err := Open(path, "check A", now.Add(time.Minute))
	if err != nil || note != "" {
		t.Fatalf("reopen: %v %q", err, note)
	}
	defer st2.Close()
	if f2.Tables["db.t"].Cursor[0] != "42" || len(f2.Ranges) != 1 || !f2.Ranges[0].Found.Equal(now) {
		t.Errorf("read back %+v", f2)
	}
}

// TestDamagedFiles: a truncated, corrupt, foreign-version or foreign
// file starts a fresh cycle with a note, never an error.
func TestDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	good := New("check A", now)
	good.Table("db.t").Cursor = []string{"7"}
	st, _, _, _ := Open(filepath.Join(dir, "good"), "check A", now)
	if err := st.Save(good); err != nil {
		t.Fatal(err)
	}
	st.Close()
	b, _ := os.ReadFile(filepath.Join(dir, "good"))
	for name, c := range map[string]struct {
		content, what, note string
	}{
		"truncated": {string(b[:len(b)/2]), "check A", "unreadable ("},
		"garbage":   {"\x00\x01binary", "check A", "unreadable ("},
		"empty":     {"", "check A", "unreadable ("},
		"version":   {strings.Replace(string(b), `"version":1`, `"version":99`, 1), "check A", "written by another version (format 99, not 1)"},
		"foreign":   {string(b), "check B", "is the state of another check (check A)"},
		"future":    {strings.Replace(string(b), `"started":`, `"started":9`, 1), "check A", "inconsistent"},
		"nulltable": {strings.Replace(string(b), `{"cursor":["7"],"touched":0}`, `null`, 1), "check A", ""},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		st, f, note, err := Open(path, c.what, now)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		st.Close()
		if c.note == "" {
			if note != "" || f.Tables["db.t"] != nil {
				t.Errorf("%s: note %q, tables %v", name, note, f.Tables)
			}
			continue
		}
		if !strings.Contains(note, c.note) || !strings.HasSuffix(note, "starting a fresh cycle") || f.Cycle != 1 || len(f.Tables) != 0 {
			t.Errorf("%s: note %q, state %+v", name, note, f)
		}
	}
}

// TestSecondRunDoesNotSave: while one run holds the lock, another reads
// the state, names the holder and saves nothing.
func TestSecondRunDoesNotSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	first, f, _, err := Open(path, "check A", now)
	if err != nil {
		t.Fatal(err)
	}
	second, f2, _, err := Open(path, "check A", now)
	if err != nil {
		t.Fatal(err)
	}
	if second.Saving() || !strings.HasPrefix(second.Holder, "process ") {
		t.Errorf("second run: saving %v, holder %q", second.Saving(), second.Holder)
	}
	f2.Table("db.x").Done = true
	if err := second.Save(f2); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the second run wrote the state: %v", err)
	}
	if err := first.Save(f); err != nil {
		t.Fatal(err)
	}
	first.Close()
	third, _, _, _ := Open(path, "check A", now)
	defer third.Close()
	if !third.Saving() || third.Holder != "" {
		t.Errorf("after the first run: saving %v, holder %q", third.Saving(), third.Holder)
	}
}

// TestHolderNamedLate: a run that finds the lock taken while its holder
// has not yet written its name waits for the name rather than calling it
// "another run".
func TestHolderNamedLate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	lf, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		lf.WriteAt([]byte("process 4242 since 2026-12-02 04:00:00 UTC\n"), 0)
	}()
	st, _, _, err := Open(path, "check A", now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Saving() || st.Holder != "process 4242 since 2026-12-02 04:00:00 UTC" {
		t.Errorf("saving %v, holder %q", st.Saving(), st.Holder)
	}
}

// TestLockHeldByAnotherProcess: the lock is an flock, so another program
// holding it (flock(1)) is respected too.
func TestLockHeldByAnotherProcess(t *testing.T) {
	if _, err := exec.LookPath("flock"); err != nil {
		t.Skip("flock(1) not installed")
	}
	path := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(path+".lock", nil, 0o600)
	cmd := exec.Command("flock", path+".lock", "sleep", "5")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		st, _, _, _ := Open(path, "check A", now)
		saving := st.Saving()
		st.Close()
		if !saving {
			if st.Holder != "another run" {
				t.Errorf("holder %q of a lock whose holder wrote nothing, want \"another run\"", st.Holder)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("the lock held by flock(1) was not seen")
}

// TestSaveIsAtomic: Save leaves no temporary file, and a directory that
// cannot be written is an error that names the file.
func TestSaveIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	st, f, _, _ := Open(path, "check A", now)
	defer st.Close()
	for range 3 {
		if err := st.Save(f); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 { // s.json and s.json.lock
		t.Errorf("files left: %v", entries)
	}
	if _, _, _, err := Open(filepath.Join(dir, "missing", "s.json"), "check A", now); err == nil || !strings.Contains(err.Error(), "--state-file") {
		t.Errorf("unwritable directory: %v", err)
	}
}

// TestCycle: the order of a cycle, wrapping, coverage and the age of the
// verdict.
func TestCycle(t *testing.T) {
	f := New("check A", now)
	tables := []string{"a.x", "b.y", "c.z"}
	if got := f.Pending(tables); strings.Join(got, " ") != "a.x b.y c.z" {
		t.Errorf("fresh order %v", got)
	}
	f.Table("a.x").Done = true
	f.Table("b.y").Cursor, f.Table("b.y").Rows = []string{"5"}, 50
	f.Current = "b.y"
	// A table added behind the cursor comes last.
	withNew := []string{"a.w", "a.x", "b.y", "c.z"}
	if got := f.Pending(withNew); strings.Join(got, " ") != "b.y c.z a.w" {
		t.Errorf("order %v", got)
	}
	est := func(name string) int64 { return 100 }
	if got := f.Coverage(tables, est); got < 0.49 || got > 0.51 { // 100 + 50 of 300
		t.Errorf("coverage %v", got)
	}
	if !f.Oldest().Equal(now) {
		t.Errorf("oldest %v", f.Oldest())
	}
	f.Remember(Range{Table: "c.z", Replica: "r1", State: "drifted"})
	f.Prune([]string{"a.x", "b.y"}) // c.z dropped or renamed
	if f.Tables["c.z"] != nil || len(f.Ranges) != 0 {
		t.Errorf("pruned %+v", f)
	}
	later := now.Add(time.Hour)
	f.Wrap(later)
	if f.Cycle != 2 || !f.Previous.Equal(now) || !f.Started.Equal(later) || f.Tables["a.x"].Done || f.Tables["b.y"].Cursor != nil || !f.Oldest().Equal(now) {
		t.Errorf("wrapped %+v", f)
	}
	if got := f.Coverage(tables, est); got != 0 {
		t.Errorf("coverage after the wrap %v", got)
	}
}

// TestRemember: one record per table, replica and range; Found kept.
func TestRemember(t *testing.T) {
	f := New("check A", now)
	r := Range{Table: "a.x", Replica: "r1", Key: []string{"id"}, Lo: []string{"1"}, Hi: []string{"2"}, State: "drifted", Found: Time{now}}
	f.Remember(r)
	r2 := r
	r2.Found, r2.Checked = Time{now.Add(time.Hour)}, Time{now.Add(time.Hour)}
	f.Remember(r2)
	other := r
	other.Replica = "r2"
	f.Remember(other)
	if len(f.Ranges) != 2 || !f.Ranges[0].Found.Equal(now) || !f.Ranges[0].Checked.Equal(now.Add(time.Hour)) {
		t.Errorf("ranges %+v", f.Ranges)
	}
	f.Forget(r)
	if len(f.Ranges) != 1 || f.Ranges[0].Replica != "r2" {
		t.Errorf("after forget %+v", f.Ranges)
	}
	open := Range{Table: "a.x", Replica: "r2", Key: []string{"id"}, Lo: []string{"1"}, State: "drifted"}
	f.Forget(open) // another range: (1, ∞) is not (1, 2]
	if len(f.Ranges) != 1 {
		t.Errorf("forgot another range")
	}
}

// TestWithin: integer ranges inside a chunk, open bounds included.
func TestWithin(t *testing.T) {
	r := Range{Lo: []string{"100"}, Hi: []string{"200"}}
	for _, c := range []struct {
		lo, hi []string
		want   bool
	}{
		{nil, nil, true},
		{[]string{"99"}, []string{"200"}, true},
		{[]string{"100"}, nil, true},
		{[]string{"101"}, nil, false},
		{nil, []string{"199"}, false},
		{[]string{"x"}, nil, false},
	} {
		if got := r.Within(c.lo, c.hi); got != c.want {
			t.Errorf("(100, 200] within (%v, %v]: %v", c.lo, c.hi, got)
		}
	}
	if (Range{Hi: []string{"5"}}).Within([]string{"0"}, nil) {
		t.Error("a range open below is within one that is not")
	}
}

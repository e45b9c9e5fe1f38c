// Package state keeps check_repl_checksum's progress between runs
// (--state-file): where the current cycle stands in every table, and every
// key range last found not in sync, so that a run continues where the last
// one stopped and a drift stays reported until it is compared again in
// sync.
//
// The file lives on the host that runs the check. It is replaced
// atomically (a new file renamed over the old one), so a run killed at any
// moment leaves the previous state whole, and it is locked (flock on
// PATH.lock) while a run uses it: a second run at the same time reads it
// but does not save. A file that cannot be read as this version's state
// starts a fresh cycle; it never ends a run.
package state

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Version is the format of the file; another version starts a fresh cycle.
const Version = 1

// DefaultDir is where a --state-file without a slash lives; the Debian
// package creates it, owned by the nagios user.
const DefaultDir = "/var/lib/replmon-plugins"

// Resolve returns the path of a --state-file value: a name without a
// slash is a file of DefaultDir.
func Resolve(path string) string {
	if !strings.Contains(path, "/") {
		return filepath.Join(DefaultDir, path)
	}
	return path
}

// File is the saved state of one check: one source, replica set, table
// selection and method (its Key).
type File struct {
	Version int    `json:"version"`
	Key     string `json:"key"`     // hash of what the state is of
	What    string `json:"what"`    // the same, in words
	Cycle   int    `json:"cycle"`   // number of the current cycle, from 1
	Started Time   `json:"started"` // when the current cycle started
	// Previous is when the last complete cycle started: the oldest
	// comparison that the verdict on tables not yet compared in this cycle
	// rests on. Zero before a cycle was ever completed.
	Previous Time              `json:"previous,omitempty"`
	Current  string            `json:"current,omitempty"` // the table the cursor is in
	Tables   map[string]*Table `json:"tables"`            // by "schema.table"
	Ranges   []Range           `json:"ranges,omitempty"`
}

// Table is the progress of one table in the current cycle.
type Table struct {
	Done    bool     `json:"done,omitempty"`   // compared to its end in this cycle
	Cursor  []string `json:"cursor,omitempty"` // the last key compared; none: from the start
	Key     []string `json:"key,omitempty"`    // the key columns the cursor is of
	Rows    int64    `json:"rows,omitempty"`   // rows compared in this cycle
	Chunk   int      `json:"chunk,omitempty"`  // the chunk size last used (rows)
	Touched Time     `json:"touched"`          // last compared
}

// Range is a key range of a table last found not in sync on one replica;
// it is compared again first in every run, and forgotten once in sync.
type Range struct {
	Table   string   `json:"table"`
	Replica string   `json:"replica"`
	Key     []string `json:"key,omitempty"` // key columns; none: the whole table
	Lo      []string `json:"lo,omitempty"`  // after this key (none: from the start)
	Hi      []string `json:"hi,omitempty"`  // up to this key (none: to the end)
	State   string   `json:"state"`         // "drifted", "unsettled", …: judge.State's words
	Detail  string   `json:"detail,omitempty"`
	Found   Time     `json:"found"` // first found
	Checked Time     `json:"checked"`
}

// Time is a time saved in seconds since the epoch (UTC), which a JSON
// reader of any language understands.
type Time struct{ time.Time }

// MarshalJSON writes the seconds, 0 for the zero time.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("0"), nil
	}
	return []byte(strconv.FormatInt(t.Unix(), 10)), nil
}

// UnmarshalJSON reads the seconds.
func (t *Time) UnmarshalJSON(b []byte) error {
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("time %s: not a number of seconds", b)
	}
	if n == 0 {
		t.Time = time.Time{}
	} else {
		t.Time = time.Unix(n, 0).UTC()
	}
	return nil
}

// KeyOf hashes what a state is of.
func KeyOf(what string) string {
	h := sha256.Sum256([]byte(what))
	return hex.EncodeToString(h[:12])
}

// New is a fresh state: cycle 1, started now.
func New(what string, now time.Time) *File {
	return &File{Version: Version, Key: KeyOf(what), What: what, Cycle: 1, Started: Time{now}, Tables: map[string]*Table{}}
}

// Store is a state file opened by a run.
type Store struct {
	Path string
	// Holder, when set, says who else holds the lock: this run reads the
	// state but does not save it.
	Holder string
	lock   *os.File
}

// Open locks path (through path.lock) and reads the state of what. A
// missing file, or one of another version, check or format, gives a fresh
// state and a note saying why (empty for a missing file). An error means
// the state cannot be used at all (its directory cannot be written).
func Open(path, what string, now time.Time) (*Store, *File, string, error) {
	s := &Store{Path: path}
	lf, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, nil, "", fmt.Errorf("--state-file %s: %w", path, err)
	}
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		s.Holder = holderOf(path + ".lock")
		lf.Close()
	} else {
		s.lock = lf
		_ = lf.Truncate(0)
		_, _ = lf.WriteAt([]byte(fmt.Sprintf("process %d since %s\n", os.Getpid(), now.UTC().Format("2006-01-02 15:04:05 UTC"))), 0)
	}
	f, note := read(path, what, now)
	return s, f, note, nil
}

// holderOf reads who holds the lock file: the holder writes its name just
// after taking the lock, so an empty file is read again for a moment
// before the holder is only "another run" (a program other than ours, or
// one that wrote nothing).
func holderOf(lockPath string) string {
	for i := 0; ; i++ {
		b, _ := os.ReadFile(lockPath)
		if h := strings.TrimSpace(string(b)); h != "" {
			return h
		}
		if i == 20 {
			return "another run"
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// read loads the state of what from path, or starts a fresh one.
func read(path, what string, now time.Time) (*File, string) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return New(what, now), ""
	}
	if err != nil {
		return New(what, now), fmt.Sprintf("cannot be read (%v): starting a fresh cycle", err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return New(what, now), "unreadable (" + shorten(err.Error()) + "): starting a fresh cycle"
	}
	switch {
	case f.Version != Version:
		return New(what, now), fmt.Sprintf("written by another version (format %d, not %d): starting a fresh cycle", f.Version, Version)
	case f.Key != KeyOf(what):
		return New(what, now), fmt.Sprintf("is the state of another check (%s): starting a fresh cycle", shorten(f.What))
	case f.Cycle < 1 || f.Started.IsZero() || f.Started.After(now.Add(time.Hour)):
		return New(what, now), "inconsistent (cycle or start time): starting a fresh cycle"
	}
	if f.Tables == nil {
		f.Tables = map[string]*Table{}
	}
	for name, t := range f.Tables {
		if t == nil {
			delete(f.Tables, name)
		}
	}
	return &f, ""
}

// shorten keeps a note to one reasonable line.
func shorten(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// Save writes f atomically: a temporary file beside path, synced, then
// renamed over it. It does nothing for a run that does not hold the lock.
func (s *Store) Save(f *File) error {
	if s.lock == nil {
		return nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.Path), filepath.Base(s.Path)+".tmp*")
	if err != nil {
		return fmt.Errorf("saving --state-file %s: %w", s.Path, err)
	}
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.Path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saving --state-file %s: %w", s.Path, err)
	}
	return nil
}

// Saving reports whether this run holds the lock and so saves its progress.
func (s *Store) Saving() bool { return s.lock != nil }

// Close releases the lock, clearing the holder's name first.
func (s *Store) Close() {
	if s.lock != nil {
		_ = s.lock.Truncate(0)
		s.lock.Close()
		s.lock = nil
	}
}

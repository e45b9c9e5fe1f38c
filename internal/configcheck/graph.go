package configcheck

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/replmon/replmon/internal/plugin"
)

// writeGraph writes the DOT picture of the audit to path (--graph), a
// side effect on the monitoring host, not on a monitored server. It is
// written whole or not at all: into a temporary file of the same
// directory, then renamed over path. A failure is one line of long output
// and never changes the state.
func writeGraph(r *plugin.Report, path, dot string) {
	if err := writeAtomically(path, []byte(dot)); err != nil {
		r.Long("graph: not written: %v", err)
		return
	}
	r.Debugf(1, "graph written to %s", path)
}

// writeAtomically replaces path with data, or leaves it as it was.
func writeAtomically(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

package iocheck

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/replmon/replmon/internal/heartbeat"
)

// tableValue is --heartbeat: a DB.TABLE, nil until given.
type tableValue struct{ t **heartbeat.Table }

// Set parses DB.TABLE.
func (v tableValue) Set(s string) error {
	t, err := heartbeat.ParseTable(s)
	if err != nil {
		return err
	}
	*v.t = &t
	return nil
}

// String returns the table as given, "" when none was.
func (v tableValue) String() string {
	if v.t == nil || *v.t == nil {
		return ""
	}
	return (*v.t).String()
}

// ageValue is --heartbeat-max-age: whole or fractional seconds, or a Go
// duration such as 36h.
type ageValue struct{ d *time.Duration }

// Set parses seconds or a duration; it must be positive.
func (v ageValue) Set(s string) error {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		secs, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || secs != secs || secs > 1e9 {
			return fmt.Errorf("%q is neither seconds nor a duration such as 36h", s)
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return fmt.Errorf("%q must be positive", s)
	}
	*v.d = d
	return nil
}

// String returns the duration.
func (v ageValue) String() string {
	if v.d == nil {
		return ""
	}
	return v.d.String()
}

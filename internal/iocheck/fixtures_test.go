package iocheck

import (
	"testing"

	"github.com/replmon/replmon/internal/iocheck/judge"
	"github.com/replmon/replmon/internal/plugin"
	"github.com/replmon/replmon/internal/replica"
	"github.com/replmon/replmon/internal/testkit/fakedb"
	"github.com/replmon/replmon/internal/testkit/fixture"
)

func fakeServer(fx fixture.Fixture) *fakedb.Server { return fakedb.New(fx.Script()) }

func defaults() judge.Options {
	return judge.Options{Warn: plugin.MustThreshold("60"), Crit: plugin.MustThreshold("300"), NotReplica: plugin.CRITICAL, DuringBackup: plugin.CRITICAL}
}

func replicaChannels(t *testing.T, fx fixture.Fixture) ([]replica.Channel, error) {
	t.Helper()
	chans, err := replica.FromResult(fx.Columns, fx.Rows)
	if err != nil {
		t.Fatalf("%s: %v", fx.Name(), err)
	}
	return chans, nil
}

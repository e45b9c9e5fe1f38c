package chunks

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/replmon/replmon/internal/checksum/servers"
	"github.com/replmon/replmon/internal/query"
	"github.com/replmon/replmon/internal/replica"
)

// ThreadsRunning reads the server's Threads_running (--max-load).
func ThreadsRunning(ctx context.Context, n *servers.Node) (int, error) {
	var v int
	err := n.With(ctx, func(s query.Session) error {
		res, err := s.Query(ctx, "SHOW GLOBAL STATUS LIKE 'Threads_running'")
		if err != nil {
			return query.Explain(err)
		}
		if len(res.Rows) != 1 {
			return fmt.Errorf("Threads_running not shown")
		}
		v, err = strconv.Atoi(res.Text(0, 1))
		return err
	})
	return v, err
}

// MaxLag reads how far the server, a replica, is behind on its most
// lagging channel (--max-lag); known is false when no channel says.
func MaxLag(ctx context.Context, n *servers.Node) (lag time.Duration, known bool, err error) {
	err = n.With(ctx, func(s query.Session) error {
		chans, _, err := replica.Read(ctx, s, n.ID)
		if err != nil {
			return err
		}
		for _, ch := range chans {
			if ch.Lag.Known {
				known = true
				lag = max(lag, time.Duration(ch.Lag.Seconds)*time.Second)
			}
		}
		return nil
	})
	return lag, known, err
}

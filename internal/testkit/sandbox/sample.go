package sandbox

import (
	"context"
	"fmt"
)

// Sample schema that LoadSample creates: one small table, so that a first
// check_repl_checksum run has something to compare (with no user table it
// answers UNKNOWN "no table matches").
const (
	SampleDatabase = "shop"
	SampleTable    = "shop.orders"
	SampleRows     = 3
)

// sampleSQL creates SampleTable with SampleRows rows. CHECKSUM=1 lets
// CHECKSUM TABLE answer from the live checksum (QUICK), as the seed's post
// recommends.
var sampleSQL = []string{
	"CREATE DATABASE " + SampleDatabase,
	"CREATE TABLE " + SampleTable + " (id INT AUTO_INCREMENT PRIMARY KEY, customer VARCHAR(40) NOT NULL, amount DECIMAL(10,2) NOT NULL) CHECKSUM=1",
	"INSERT INTO " + SampleTable + " (customer, amount) VALUES ('ada', 10.50), ('bob', 3.20), ('cyd', 99.00)",
}

// LoadSample creates the sample schema on the topology's first server (m1
// of Seed and Pair) and waits until every replica has it.
func (sb *Sandbox) LoadSample(ctx context.Context) error {
	if len(sb.servers) == 0 {
		return fmt.Errorf("sandbox: no server to load the sample schema into")
	}
	if err := sb.servers[0].Exec(ctx, sampleSQL...); err != nil {
		return err
	}
	return sb.WaitReplicated(ctx)
}

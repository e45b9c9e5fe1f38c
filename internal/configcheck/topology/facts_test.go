package topology

import "testing"

// TestWhy: each decision names the unknown that matters most to it first,
// and Why gives nothing when no answer it asks about is Maybe.
func TestWhy(t *testing.T) {
	f := Facts{
		Replica: Maybe, ReplicaWhy: "replica?",
		HasReplicas: Maybe, HasReplicasWhy: "replicas?",
		Ring: Maybe, RingWhy: "ring?",
	}
	if got := f.RelaysWhy(); got != "ring?" {
		t.Errorf("RelaysWhy = %q, want the ring's reason", got)
	}
	if got := f.PureReplicaWhy(); got != "replica?" {
		t.Errorf("PureReplicaWhy = %q, want the replica's reason", got)
	}
	f.Ring, f.Replica = No, Yes
	if got := f.RelaysWhy(); got != "replicas?" {
		t.Errorf("RelaysWhy = %q, want the replicas' reason", got)
	}
	if got := f.Why(AskRing, AskReplica); got != "" {
		t.Errorf("Why with no Maybe among the questions = %q", got)
	}
}

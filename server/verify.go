package server

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vpool/vpool/store"
)

// VerifyReport is what Verify found.
type VerifyReport struct {
	// Commands is the number of logged commands replayed from scratch.
	Commands int `json:"commands"`
	// SnapshotSeq is the seq of the snapshot recovery starts from (0: none).
	SnapshotSeq uint64 `json:"snapshotSeq"`
	// FullReplayHash and RecoveredHash are the state hashes reached by
	// replaying the whole log and by snapshot + tail; they must be equal.
	FullReplayHash string `json:"fullReplayHash"`
	RecoveredHash  string `json:"recoveredHash"`
}

// Verify replays the whole log of the store at location from empty markets,
// checking every command's recorded outcome, and compares the state it
// reaches with the one recovery reaches from the latest snapshot plus the
// log after it. It changes nothing on disk.
func Verify(ctx context.Context, location string) (VerifyReport, error) {
	var rep VerifyReport
	st, err := store.OpenShared(ctx, location)
	if err != nil {
		return rep, err
	}
	defer st.Close()
	// The snapshot first, then the end of the log: a server still running
	// only adds after both, and both replays stop at the same record.
	quiet := slog.New(slog.DiscardHandler)
	recovered := &Node{store: st, log: quiet}
	if rep.SnapshotSeq, err = recovered.loadSnapshot(ctx); err != nil {
		return rep, err
	}
	last, err := st.LastSeq(ctx)
	if err != nil {
		return rep, err
	}
	full := &Node{store: st, log: quiet}
	full.setEngines(newEngines())
	if rep.Commands, err = full.replayLog(ctx, last); err != nil {
		return rep, err
	}
	rep.FullReplayHash = full.e.StateHash()
	if _, err := recovered.replayLog(ctx, last); err != nil {
		return rep, err
	}
	rep.RecoveredHash = recovered.e.StateHash()
	if rep.FullReplayHash != rep.RecoveredHash {
		return rep, fmt.Errorf("server: the full replay reaches %s, snapshot + log reaches %s", rep.FullReplayHash, rep.RecoveredHash)
	}
	return rep, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
)

// CopyReport is what Copy copied.
type CopyReport struct {
	// Commands is the number of log records copied; Chain is the log's
	// chain after the last, as the destination stored it.
	Commands uint64
	Chain    Chain
	// SnapshotSeq is the seq of the snapshot copied (0: none).
	SnapshotSeq uint64
	// Keys is the number of API keys copied.
	Keys int
}

// copyPage is the number of log records Copy appends at a time.
const copyPage = 4096

// Copy copies a market from src into the empty store dst: the whole log
// (re-chained by dst, and checked against the snapshot's chain), the
// latest snapshot, and the API keys with their digests, so every token
// keeps working. A dst that shares its market (PostgreSQL) is led by the
// copy while it writes, so no server may run on it meanwhile; src should
// be stopped too, or the commands it takes after the copy are not in dst.
func Copy(ctx context.Context, dst, src Store) (CopyReport, error) {
	var rep CopyReport
	if err := mustBeEmpty(ctx, dst); err != nil {
		return rep, err
	}
	if shared, ok := dst.(Shared); ok {
		if _, err := shared.Lead(ctx, LeaseOptions{Holder: "vpool store copy"}, false); err != nil {
			return rep, err
		}
	}
	snap, err := src.LatestSnapshot(ctx)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return rep, err
	default:
		rep.SnapshotSeq = snap.Seq
	}
	page := make([]Record, 0, copyPage)
	for {
		page = page[:0]
		if err := src.Records(ctx, rep.Commands, copyPage, func(r Record) error {
			page = append(page, r)
			return nil
		}); err != nil {
			return rep, fmt.Errorf("store: reading the source's log after seq %d: %w", rep.Commands, err)
		}
		if len(page) == 0 {
			break
		}
		for i := range page {
			if page[i].Seq != rep.Commands+uint64(i)+1 {
				return rep, fmt.Errorf("store: the source's log goes from seq %d to %d", rep.Commands+uint64(i), page[i].Seq)
			}
		}
		before := rep.Chain
		if rep.Chain, err = dst.Append(ctx, rep.Chain, page); err != nil {
			return rep, err
		}
		last := page[len(page)-1].Seq
		if rep.SnapshotSeq > rep.Commands && rep.SnapshotSeq <= last {
			at := before
			for i := range page[:rep.SnapshotSeq-rep.Commands] {
				at = at.Next(&page[i])
			}
			if at != snap.Chain {
				return rep, fmt.Errorf("store: the source's snapshot at seq %d does not follow its log's chain", snap.Seq)
			}
		}
		rep.Commands = last
	}
	if rep.SnapshotSeq > rep.Commands {
		return rep, fmt.Errorf("store: the source's snapshot is at seq %d, beyond its log's end at %d", rep.SnapshotSeq, rep.Commands)
	}
	if rep.SnapshotSeq > 0 {
		if err := dst.SaveSnapshot(ctx, snap); err != nil {
			return rep, err
		}
	}
	keys, err := src.keyRows(ctx)
	if err != nil {
		return rep, err
	}
	if err := dst.putKeyRows(ctx, keys); err != nil {
		return rep, err
	}
	rep.Keys = len(keys)
	return rep, nil
}

// mustBeEmpty refuses a store that holds anything.
func mustBeEmpty(ctx context.Context, s Store) error {
	last, err := s.LastSeq(ctx)
	if err != nil {
		return err
	}
	keys, err := s.keyRows(ctx)
	if err != nil {
		return err
	}
	_, err = s.LatestSnapshot(ctx)
	switch {
	case err == nil || last > 0 || len(keys) > 0:
		return errors.New("store: the destination is not empty: copy only into a new store")
	case !errors.Is(err, ErrNotFound):
		return err
	}
	return nil
}

package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"

	"github.com/vpool/vpool/scenario"
	"github.com/vpool/vpool/store"
)

// Snapshot formats. Format 1, written before the swap market existed, is
// the cover market's canonical encoding alone. Format 2 is
//
//	magic (8 bytes) ‖ last ‖ swapInUse (0|1) ‖ coverLen   (u64 big-endian each)
//	‖ cover encoding (coverLen bytes) ‖ swap encoding (empty unless in use)
//
// where the two encodings are exactly what scenario.Engines.StateHash
// hashes, so that the recorded hash of either format is the state hash.
// A cover encoding starts with the withdrawal delay; one equal to the
// magic could be mistaken for format 2, so a blob whose own digest is the
// recorded hash is format 1 whatever its first bytes.
var snapshotMagic = []byte("vpsnap\x00\x02")

// snapshotHeader is the length of format 2's fixed header.
const snapshotHeader = 8 + 3*8

// newEngines are the empty markets a node without a snapshot starts from.
func newEngines() *scenario.Engines {
	e, _ := scenario.NewEngines(&scenario.File{}) // an empty file sets nothing up, so cannot fail
	return e
}

// encodeSnapshot returns e in format 2 and the part of it the state hash
// is the digest of.
func encodeSnapshot(e *scenario.Engines) (blob, hashed []byte) {
	blob = append([]byte(nil), snapshotMagic...)
	blob = binary.BigEndian.AppendUint64(blob, e.Last())
	inUse := uint64(0)
	if e.SwapInUse() {
		inUse = 1
	}
	blob = binary.BigEndian.AppendUint64(blob, inUse)
	blob = binary.BigEndian.AppendUint64(blob, 0) // coverLen, set below
	blob = e.Cover.AppendCanonical(blob)
	binary.BigEndian.PutUint64(blob[snapshotHeader-8:], uint64(len(blob)-snapshotHeader))
	if e.SwapInUse() {
		blob = e.Swap.AppendCanonical(blob, e.Last())
	}
	return blob, blob[snapshotHeader:]
}

// digest is the hex SHA-256 of b: a snapshot records that of its hashed part.
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// restoreSnapshot rebuilds the engines from a stored snapshot of either
// format (the caller checks the state hash).
func restoreSnapshot(snap store.Snapshot) (*scenario.Engines, error) {
	state := snap.State
	if !bytes.HasPrefix(state, snapshotMagic) || digest(state) == snap.Hash {
		// Format 1: a cover-only market as of the snapshot's last command.
		return scenario.RestoreEngines(state, nil, false, snap.At)
	}
	if len(state) < snapshotHeader {
		return nil, errors.New("a format 2 snapshot shorter than its header")
	}
	last := binary.BigEndian.Uint64(state[8:])
	inUse := binary.BigEndian.Uint64(state[16:])
	coverLen := binary.BigEndian.Uint64(state[24:])
	body := state[snapshotHeader:]
	if inUse > 1 || coverLen > uint64(len(body)) {
		return nil, errors.New("a format 2 snapshot with a damaged header")
	}
	return scenario.RestoreEngines(body[:coverLen], body[coverLen:], inUse == 1, last)
}

// Package canonical reads the canonical state encoding the cover and swap
// markets share (their AppendCanonical, which doubles as the snapshot
// format): big-endian uint64s, lists and strings behind a uint64 length,
// 32-byte big-endian amounts. Each market reads its own objects, ids and
// flags on top of Reader; this package knows no market and never panics
// on damaged bytes.
package canonical

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/vpool/vpool/ray"
)

// Reader reads an encoding front to back, keeping the first error: after
// one, every read returns zeros, so a decoder checks Err once at the end.
type Reader struct {
	buf []byte
	err error
}

// NewReader reads data.
func NewReader(data []byte) Reader { return Reader{buf: data} }

// Err is the first error met, or nil.
func (r *Reader) Err() error { return r.err }

// Fail records err unless an earlier error is recorded, and drops the
// bytes left.
func (r *Reader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.buf = nil
}

// Take reads the next n bytes (zeros past the end, which fails).
func (r *Reader) Take(n int) []byte {
	if r.err != nil || n > len(r.buf) {
		r.Fail(errors.New("unexpected end"))
		return make([]byte, n)
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

// U64 reads a big-endian uint64.
func (r *Reader) U64() uint64 { return binary.BigEndian.Uint64(r.Take(8)) }

// Count reads a list length, refusing one longer than the bytes left.
func (r *Reader) Count() int {
	n := r.U64()
	if n > uint64(len(r.buf)) {
		r.Fail(fmt.Errorf("list of %d entries in %d bytes", n, len(r.buf)))
		return 0
	}
	return int(n)
}

// Str reads a length-prefixed string.
func (r *Reader) Str() string { return string(r.Take(r.Count())) }

// Amount reads a 32-byte big-endian amount.
func (r *Reader) Amount() ray.Int {
	var a ray.Int
	a.SetBytes32(r.Take(32))
	return a
}

// Left is the number of bytes not read yet.
func (r *Reader) Left() int { return len(r.buf) }

// End fails on bytes left unread and returns the first error, or nil.
func (r *Reader) End() error {
	if r.err == nil && len(r.buf) != 0 {
		r.Fail(fmt.Errorf("%d trailing bytes", len(r.buf)))
	}
	return r.err
}

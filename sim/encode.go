package sim

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// An aggregate travels between machines as its counters and histograms,
// in the one order each lists them: a shard writes them, and a merge adds
// them into an aggregate of the same layout (built from the same file), so
// that merging is integer addition and exact min and max, as when paths
// are folded in on one machine.

// each calls count for every counter and hist for every histogram of a,
// always in the same order.
func (a *aggregate) each(count func(*uint64), hist func(*histogram)) {
	a.all.each(count, hist)
	for _, t := range a.batches {
		t.each(count, hist)
	}
	for _, h := range a.bands {
		hist(h)
	}
	for _, h := range a.money {
		hist(h)
	}
}

// each calls count for every counter and hist for every histogram of t,
// always in the same order. A field added to tally belongs here (a test
// checks that every one is listed).
func (t *tally) each(count func(*uint64), hist func(*histogram)) {
	count(&t.paths)
	for i := range t.lps {
		l := &t.lps[i]
		hist(l.apy)
		hist(l.loss)
		count(&l.losing)
	}
	for i := range t.pools {
		p := &t.pools[i]
		for _, c := range []*uint64{&p.covers, &p.refused, &p.hacks, &p.withClaims, &p.short} {
			count(c)
		}
		hist(p.paid)
		hist(p.unpaid)
	}
	for _, h := range []*histogram{t.treasury, t.riskFund, t.shortfall, t.protocolLoss} {
		hist(h)
	}
	for _, c := range []*uint64{&t.shortfallPaths, &t.riskFundCovers, &t.lpRefused, &t.blocked, &t.lpDeclined, &t.venueFailed} {
		count(c)
	}
	for _, h := range t.books {
		hist(h)
	}
	for i := range t.lossAbove {
		count(&t.lossAbove[i])
	}
}

// layout is the number of counters and histograms of a, written before
// them so that a part of another layout is refused rather than misread.
func (a *aggregate) layout() (counters, histograms uint64) {
	a.each(func(*uint64) { counters++ }, func(*histogram) { histograms++ })
	return counters, histograms
}

// encode writes a's paths, layout, counters and histograms.
func (a *aggregate) encode(e *encoder) {
	e.uvarint(uint64(a.paths))
	counters, histograms := a.layout()
	e.uvarint(counters)
	e.uvarint(histograms)
	a.each(func(c *uint64) { e.uvarint(*c) }, func(h *histogram) { h.encode(e) })
}

// absorb adds to a the aggregate d holds next (written by encode from an
// aggregate of the same layout).
func (a *aggregate) absorb(d *decoder) error {
	a.paths += int(d.uvarint())
	counters, histograms := a.layout()
	if c, h := d.uvarint(), d.uvarint(); d.err == nil && (c != counters || h != histograms) {
		return fmt.Errorf("its statistics have %d counters and %d histograms, the file's %d and %d", c, h, counters, histograms)
	}
	a.each(func(c *uint64) { *c += d.uvarint() }, func(h *histogram) { h.absorb(d) })
	return d.err
}

// encode writes h's totals and its allocated blocks of bins.
func (h *histogram) encode(e *encoder) {
	e.uvarint(h.n)
	e.uvarint(h.zeros)
	e.sum(h.sum)
	e.float(h.min)
	e.float(h.max)
	blocks := uint64(0)
	for _, c := range h.counts {
		if c != nil {
			blocks++
		}
	}
	e.uvarint(blocks)
	for i, c := range h.counts {
		if c == nil {
			continue
		}
		e.uvarint(uint64(i))
		for _, n := range c {
			e.uvarint(n)
		}
		if h.sums != nil {
			var sums [chunkBins]sum128
			if h.sums[i] != nil {
				sums = *h.sums[i]
			}
			for _, s := range sums {
				e.sum(s)
			}
		}
	}
}

// absorb adds to h the histogram d holds next (same binning).
func (h *histogram) absorb(d *decoder) {
	o := &histogram{b: h.b, counts: make([]*[chunkBins]uint64, len(h.counts))}
	if h.sums != nil {
		o.sums = make([]*[chunkBins]sum128, len(h.sums))
	}
	o.n, o.zeros, o.sum, o.min, o.max = d.uvarint(), d.uvarint(), d.sum(), d.float(), d.float()
	blocks := d.uvarint()
	if blocks > uint64(len(h.counts)) {
		d.fail(fmt.Errorf("a histogram of %d blocks of bins holds %d", len(h.counts), blocks))
	}
	for range blocks {
		i := d.uvarint()
		if d.err != nil || i >= uint64(len(h.counts)) || o.counts[i] != nil {
			d.fail(fmt.Errorf("bad block of bins %d", i))
			return
		}
		o.counts[i] = new([chunkBins]uint64)
		for k := range o.counts[i] {
			o.counts[i][k] = d.uvarint()
		}
		if o.sums != nil {
			o.sums[i] = new([chunkBins]sum128)
			for k := range o.sums[i] {
				o.sums[i][k] = d.sum()
			}
		}
	}
	if d.err == nil {
		h.merge(o)
	}
}

// encoder writes integers and floats in a fixed, portable form.
type encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

func (e *encoder) uvarint(v uint64) { e.w.Write(binary.AppendUvarint(e.buf[:0], v)) }

func (e *encoder) float(v float64) { e.uvarint(math.Float64bits(v)) }

func (e *encoder) sum(s sum128) {
	e.uvarint(uint64(s.hi))
	e.uvarint(s.lo)
}

func (e *encoder) bytes(b []byte) {
	e.uvarint(uint64(len(b)))
	e.w.Write(b)
}

// decoder reads what an encoder wrote; the first error sticks, and every
// read after it gives zero.
type decoder struct {
	r   *bufio.Reader
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	d.fail(err)
	return v
}

func (d *decoder) float() float64 { return math.Float64frombits(d.uvarint()) }

func (d *decoder) sum() sum128 { return sum128{hi: int64(d.uvarint()), lo: d.uvarint()} }

// maxBytes bounds a length read from a part: no field of one is larger.
const maxBytes = 1 << 30

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > maxBytes {
		d.fail(fmt.Errorf("a field of %d bytes", n))
		return nil
	}
	var b bytes.Buffer // grows with what arrives: a damaged length allocates nothing
	if _, err := io.CopyN(&b, d.r, int64(n)); err != nil {
		d.fail(io.ErrUnexpectedEOF)
	}
	return b.Bytes()
}

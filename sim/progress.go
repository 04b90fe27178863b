package sim

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Progress draws a run's progress: a bar redrawn in place with the ETA on
// a terminal, or a plain line every few seconds (and at the end) when the
// output is a file or a pipe.
type Progress struct {
	w       io.Writer
	tty     bool
	label   string
	start   time.Time
	last    time.Time
	every   time.Duration
	now     func() time.Time
	started bool
}

// NewProgress reports to w; tty says whether w is a terminal.
func NewProgress(w io.Writer, tty bool, label string) *Progress {
	every := 5 * time.Second
	if tty {
		every = 100 * time.Millisecond
	}
	return &Progress{w: w, tty: tty, label: label, every: every, now: time.Now}
}

// Update reports done of total; it draws at most every so often, and
// always the last one.
func (p *Progress) Update(done, total int) {
	now := p.now()
	if !p.started {
		p.start, p.last, p.started = now, now, true
	}
	if done < total && now.Sub(p.last) < p.every {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start)
	eta := "?"
	if done > 0 {
		eta = (time.Duration(float64(elapsed) / float64(done) * float64(total-done))).Round(time.Second).String()
	}
	pct := 100 * done / max(total, 1)
	if !p.tty {
		fmt.Fprintf(p.w, "%s: %d/%d (%d%%), %s elapsed, ETA %s\n", p.label, done, total, pct, elapsed.Round(time.Second), eta)
		return
	}
	const width = 30
	filled := width * done / max(total, 1)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	fmt.Fprintf(p.w, "\r%s %s %3d%% %d/%d  %s  ETA %s\x1b[K", p.label, bar, pct, done, total, elapsed.Round(100*time.Millisecond), eta)
	if done >= total {
		fmt.Fprintln(p.w)
	}
}

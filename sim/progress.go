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
		eta = etaString(elapsed.Seconds() / float64(done) * float64(total-done))
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

// etaString writes a remaining time in seconds; beyond what a run could
// sensibly wait (and what a time.Duration holds) it says so instead.
func etaString(secs float64) string {
	const tooLong = 100 * 24 * 3600
	if !(secs < tooLong) {
		return "more than 100 days"
	}
	return time.Duration(secs * float64(time.Second)).Round(time.Second).String()
}

package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The dashboard's smaller promises, in a real browser, on a market whose
// clock stands at 20 December 2026: signed out, the nav offers no account
// page and the key's hint shows commands as code; a link to a pool page
// with the key in its fragment opens that page signed in; the expiring
// cover's date labels carry the year when the axis crosses into 2027; the
// tick figures say when the next tick comes and why; strategies show
// their names.
func TestDashboardDeepLinksLabelsAndNames(t *testing.T) {
	chromium := findChromium(t)
	now := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
	m := newMarketAt(t, func() time.Time { return now })
	// 5,000 USDC of cover for 50 USDC at about 3.9% a year: some 94 days,
	// into March 2027.
	m.post(t, m.user, `{"op":"openCover","args":{"pool":0,"amount":"5000000000","premiums":"50000000"}}`)
	ctx := browser(t, chromium)
	do, eval := tab{t, ctx}.do, tab{t, ctx}.eval
	var s string
	var b bool

	do("open signed out", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(m.url+"/"), chromedp.WaitVisible(chromedp.ID("key")))
	eval(`document.querySelector('[data-nav="account"]').offsetParent === null`, &b)
	if !b {
		t.Error(`signed out, the nav shows the account link`)
	}
	eval(`document.querySelector("#key-hint").textContent`, &s)
	var codes []string
	eval(`[...document.querySelectorAll("#key-hint code")].map((c) => c.textContent)`, &codes)
	if strings.Contains(s, "`") || strings.Join(codes, "|") != "vpool keys create|vpool serve --demo" {
		t.Errorf("the key's hint: %q, code %q", s, codes)
	}

	do("deep link to pool 0 with the key", chromedp.Navigate(m.url+"/#/pool/0?key="+m.user),
		chromedp.WaitVisible(chromedp.CSS("#pool-expiring svg")), chromedp.WaitVisible(chromedp.CSS(`[data-stat="Tick"]`)))
	eval(`location.href`, &s)
	if strings.Contains(s, m.user) || !strings.HasSuffix(s, "#/pool/0") {
		t.Errorf("after the deep link the address is %q: want #/pool/0, without the key", s)
	}
	eval(`document.querySelector("h1").textContent`, &s)
	if !strings.HasPrefix(s, "Pool 0") {
		t.Errorf("the deep link shows %q", s)
	}
	eval(`document.querySelector('[data-nav="account"]').textContent`, &s)
	if s != "My account" {
		t.Errorf("signed in as a user, the nav says %q", s)
	}

	var labels []string
	eval(`[...document.querySelectorAll("#pool-expiring svg text")].map((t) => t.textContent)`, &labels)
	joined := strings.Join(labels, " | ")
	if !strings.Contains(joined, "2026") || !strings.Contains(joined, "2027") {
		t.Errorf("the expiring cover's axis, from December 2026 into 2027, is labelled %q: want the years", joined)
	}
	t.Logf("expiring axis: %s", joined)

	var tick, length, note, strategy string
	eval(`document.querySelector('[data-stat="Tick"]').textContent`, &tick)
	eval(`document.querySelector('[data-stat="Tick length"]').textContent`, &length)
	eval(`document.querySelector("#tick-note").textContent`, &note)
	eval(`document.querySelector('[data-stat="Strategy"]').textContent`, &strategy)
	if !strings.HasPrefix(tick, "1, the next in ") || !strings.Contains(length, "at this utilization") ||
		!strings.Contains(note, "moves on only once a whole tick has passed") || strategy != "USDC lending (#0)" {
		t.Errorf("pool figures: tick %q, length %q, strategy %q, note %q", tick, length, strategy, note)
	}
	t.Logf("tick %q, %q", tick, length)

	do("market page", chromedp.Navigate(m.url+"/#/"), chromedp.WaitVisible(chromedp.CSS("#strategies td")))
	eval(`document.querySelector("#strategies td").textContent`, &s)
	if s != "USDC lending (#0)" {
		t.Errorf("the strategies table names strategy 0 %q", s)
	}
}

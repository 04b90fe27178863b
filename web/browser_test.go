package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The dashboard in a real browser: connect with a key, see the market,
// buy a cover through the form and watch the pool's utilization change
// without a reload, open a position over two pools after reading its
// quote, look at a pool's page, at laptop and phone widths.
func TestDashboardInChromium(t *testing.T) {
	chromium := findChromium(t)
	m := newMarket(t)
	ctx := browser(t, chromium)
	save := saver(t)
	began := time.Now()
	do, eval := tab{t, ctx}.do, tab{t, ctx}.eval
	text := tab{t, ctx}.text
	shot := func(name string) { tab{t, ctx}.shot(save, name) }
	poolRow := func(id string) chromedp.CSS { return chromedp.CSS(`#pools tr[data-pool="` + id + `"] td.util`) }

	// Connect: the key goes in once and stays in the tab's session storage.
	do("open the page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(m.url+"/"), chromedp.WaitVisible(chromedp.ID("key")))
	do("connect", chromedp.SendKeys(chromedp.ID("key"), m.user), chromedp.Click(chromedp.ID("key-submit")),
		chromedp.WaitVisible(poolRow("2")))
	var stored string
	eval(`sessionStorage.getItem("vpool.apiKey")`, &stored)
	if stored != m.user {
		t.Fatalf("the key is not in session storage")
	}

	// Page load, measured on a reload with the key kept: navigation timing
	// of the document, and the time until the pools are on screen.
	do("reload", chromedp.Reload(), chromedp.WaitVisible(poolRow("2")))
	var timing struct {
		DOMContentLoaded, Load, Market float64
	}
	eval(`(() => { const n = performance.getEntriesByType("navigation")[0];
		const shown = performance.getEntriesByName("vpool:market-shown")[0];
		return {DOMContentLoaded: n.domContentLoadedEventEnd, Load: n.loadEventEnd, Market: shown ? shown.startTime : -1}; })()`, &timing)
	t.Logf("page load: DOMContentLoaded %.0f ms, load %.0f ms, pools on screen %.0f ms after navigation start", timing.DOMContentLoaded, timing.Load, timing.Market)
	if timing.Market <= 0 {
		t.Errorf("the page did not mark when the market was shown")
	}
	do("wait for the forms", chromedp.WaitVisible(chromedp.ID("cover-amount")), chromedp.WaitVisible(chromedp.ID("lp-pool-1")))
	shot("market-laptop.png")

	// Buy a cover of 5,000 USDC in pool 0 for 200 USDC of premiums; the
	// utilization cell must change while the page stays the same document.
	before := text(string(poolRow("0")))
	eval(`window.vpoolSameDocument = true`, new(bool))
	do("fill the cover form", chromedp.SendKeys(chromedp.ID("cover-amount"), "5000"), chromedp.SendKeys(chromedp.ID("cover-value"), "200"),
		chromedp.WaitVisible(chromedp.CSS("#cover-quote dl")))
	t.Logf("cover quote: %s", text("#cover-quote"))
	do("buy", chromedp.Click(chromedp.ID("cover-buy")),
		poll(`document.querySelector("#cover-status").textContent.includes("bought")`))
	t.Logf("cover: %s", text("#cover-status"))
	do("utilization changes", poll(`document.querySelector('#pools tr[data-pool="0"] td.util').textContent.trim() !== `+jsString(before)))
	after := text(string(poolRow("0")))
	var same bool
	eval(`window.vpoolSameDocument === true`, &same)
	if !same {
		t.Fatal("the page reloaded")
	}
	t.Logf("pool 0 utilization %s → %s without a reload", before, after)

	// Open a position over pools 0 and 1: the quote shows the combined APY
	// and the leverage fee before the button is enabled.
	do("fill the position form", chromedp.Click(chromedp.ID("lp-pool-0")), chromedp.Click(chromedp.ID("lp-pool-1")),
		chromedp.SendKeys(chromedp.ID("lp-amount"), "1000"), chromedp.WaitVisible(chromedp.ID("lp-apy")), chromedp.WaitEnabled(chromedp.ID("lp-submit")))
	apy, fee := text("#lp-apy"), text("#lp-leverage-fee")
	if !strings.HasSuffix(apy, "%") || !strings.Contains(fee, "3.0%") {
		t.Fatalf("quote: APY %q, leverage fee %q", apy, fee)
	}
	t.Logf("position quote: APY %s, leverage fee %s", apy, fee)
	shot("market-acting-laptop.png")
	do("open the position", chromedp.Click(chromedp.ID("lp-submit")),
		poll(`document.querySelector("#lp-status").textContent.includes("opened")`))
	t.Logf("position: %s", text("#lp-status"))

	// The engine holds what the page said.
	var acct struct {
		Covers    []struct{ Pool int }
		Positions []struct{ Pools []int }
	}
	json.Unmarshal(m.call(t, "GET", "/v1/accounts/alice", m.user, nil), &acct)
	if len(acct.Covers) != 1 || acct.Covers[0].Pool != 0 || len(acct.Positions) != 1 || len(acct.Positions[0].Pools) != 2 {
		t.Fatalf("alice's account: %+v", acct)
	}

	// An engine error shows next to its field: cover beyond the capacity.
	do("too much cover", chromedp.SendKeys(chromedp.ID("cover-amount"), "900000"), chromedp.SendKeys(chromedp.ID("cover-value"), "10"),
		poll(`document.querySelector("#cover-amount-error").textContent.includes("available")`))
	t.Logf("error next to the amount: %s", text("#cover-amount-error"))

	// The pool page: curve, history, expiring cover and shared liquidity.
	do("pool page", chromedp.Navigate(m.url+"/#/pool/0"),
		chromedp.WaitVisible(chromedp.CSS("#pool-curve svg")), chromedp.WaitVisible(chromedp.CSS("#pool-history svg")),
		chromedp.WaitVisible(chromedp.CSS("#pool-expiring svg")), chromedp.WaitVisible(chromedp.CSS("#pool-shared svg")))
	shot("pool-laptop.png")
	do("account page", chromedp.Navigate(m.url+"/#/account"), chromedp.WaitVisible(chromedp.CSS(`#my-covers tr[data-cover]`)))
	shot("account-laptop.png")

	// A claim opened from the account page, accepted by the arbiter.
	do("open a claim", chromedp.Click(chromedp.CSS(`tr[data-cover="0"] summary`)),
		chromedp.SendKeys(chromedp.ID("cover-0-claim"), "1000\r"), // Enter submits
		poll(`document.querySelector("#account-status").textContent.includes("claim #0")`))
	t.Logf("claim: %s", text("#account-status"))
	do("sign out", chromedp.Click(chromedp.CSS("#session button")), chromedp.WaitVisible(chromedp.ID("key")))
	var left *string
	eval(`sessionStorage.getItem("vpool.apiKey")`, &left)
	if left != nil {
		t.Fatal("the key is still in session storage after signing out")
	}
	do("arbiter", chromedp.SendKeys(chromedp.ID("key"), m.arbiter), chromedp.Click(chromedp.ID("key-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#claims-h`)), chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Accept claim 0"]`)))
	shot("claims-arbiter-laptop.png")
	do("accept", chromedp.Click(chromedp.CSS(`button[aria-label="Accept claim 0"]`)),
		poll(`document.querySelector("#claims-status").textContent.includes("accepted")`))
	var claim struct{ Status string }
	json.Unmarshal(m.call(t, "GET", "/v1/claims/0", m.arbiter, nil), &claim)
	if claim.Status != "accepted" {
		t.Fatalf("claim 0 is %q", claim.Status)
	}

	// A link carrying the key in its fragment (serve --demo prints one)
	// signs in and leaves the address bar without the key.
	do("sign out again", chromedp.Click(chromedp.CSS("#session button")), chromedp.WaitVisible(chromedp.ID("key")))
	do("key link", chromedp.Navigate(m.url+"/#key="+m.user), chromedp.WaitVisible(poolRow("2")))
	var where, whoami string
	eval(`location.href`, &where)
	eval(`document.querySelector("#whoami").textContent`, &whoami)
	if strings.Contains(where, m.user) || whoami != "user · alice" {
		t.Fatalf("after the key link: address %q, signed in as %q", where, whoami)
	}
	eval(`sessionStorage.getItem("vpool.apiKey")`, &stored)
	if stored != m.user {
		t.Fatalf("the linked key is not in session storage")
	}

	// Phone width: one column, tables as cards.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(m.url+"/#/"), chromedp.WaitVisible(poolRow("0")))
	var overflow bool
	eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		t.Errorf("the market page scrolls sideways at 390 px")
	}
	shot("market-phone.png")
	do("phone pool page", chromedp.Navigate(m.url+"/#/pool/0"), chromedp.WaitVisible(chromedp.CSS("#pool-shared svg")))
	shot("pool-phone.png")
	t.Logf("browser test took %s", time.Since(began).Round(time.Millisecond))
}

// poll waits up to 10 s for a JavaScript expression to be true.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))(ctx, t)
		return err
	})
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

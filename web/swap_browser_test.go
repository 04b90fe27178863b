package web_test

import (
	"context"
	"encoding/json"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// The swap pages in a real browser, on the demo's seeded swap market (six
// tokens, eight pairs; the demo's activity is not running, so only the
// test moves it): the pairs with their reserve-ratio bars; the virtual
// pools WETH → USDC; the swap form quoting every route, a virtual one
// among them, and the split it takes; a swap that changes the balances by
// exactly what the engine quoted; a swap refused whole when the market
// moved past its minimum; a pair's charts; adding and removing liquidity
// after the engine's preview; and the page at phone width.
func TestSwapDashboardInChromium(t *testing.T) {
	chromium := findChromium(t)
	m := newSwapMarket(t)
	ctx := browser(t, chromium)
	b := tab{t, ctx}
	do, eval, text := b.do, b.eval, b.text
	save := saver(t)
	shot := func(name string) { b.shot(save, name) }
	balances := func() map[string]string {
		t.Helper()
		var acct struct{ Balances map[string]string }
		json.Unmarshal(m.call(t, "GET", "/v1/accounts/newcomer", m.user, nil), &acct)
		return acct.Balances
	}

	// The pairs, each with its reserve ratio against its maximum.
	do("open the swap page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(m.url+"/#/swap?key="+m.user),
		chromedp.WaitVisible(chromedp.CSS(`#pairs tr[data-pair="7"]`)))
	var n int
	eval(`document.querySelectorAll("#pairs tbody tr .rr-bar").length`, &n)
	if n != 8 {
		t.Fatalf("%d pairs with a reserve-ratio bar, want 8", n)
	}
	if s := text(`#pairs tr[data-pair="0"]`); !strings.Contains(s, "USDC/WETH") || !strings.Contains(s, "1 WETH = 3,000.0000 USDC") || !strings.Contains(s, "DAI, WBTC") {
		t.Errorf("pair 0's row: %q", s)
	}

	// The virtual pools WETH → USDC: through DAI priced, with its balances.
	do("virtual pools", chromedp.WaitVisible(chromedp.CSS(`#vpools-table tr[data-vpool="2-3"]`)))
	if s := text(`#vpools-table tr[data-vpool="2-3"]`); !strings.Contains(s, "DAI") || !strings.Contains(s, "WETH") || !strings.Contains(s, "%") {
		t.Errorf("the virtual pool through DAI: %q", s)
	}
	shot("swap-laptop.png")

	// Quote 2 WETH → USDC: at least two priced routes, a virtual one among
	// them, and the split, highlighted.
	before := balances()
	do("quote", chromedp.SendKeys(chromedp.ID("swap-amount"), "2"), chromedp.WaitVisible(chromedp.ID("swap-split")),
		chromedp.WaitEnabled(chromedp.ID("swap-submit")))
	var priced, virtual int
	eval(`document.querySelectorAll("#swap-routes tr[data-kind]:not(.dropped):not(.chosen)").length`, &priced)
	eval(`document.querySelectorAll('#swap-routes tr[data-kind="virtual"]:not(.dropped)').length`, &virtual)
	if priced < 2 || virtual < 1 {
		t.Fatalf("quote: %d priced routes, %d virtual: %s", priced, virtual, text("#swap-routes"))
	}
	t.Logf("quote: %s", text("#swap-routes"))
	var quoted string
	eval(`document.querySelector("#swap-quote").dataset.amountOut`, &quoted)
	shot("swap-quote-laptop.png")
	do("swap", chromedp.Click(chromedp.ID("swap-submit")), poll(`document.querySelector("#swap-status").textContent.includes("Swapped")`))
	t.Logf("swap: %s", text("#swap-status"))
	after := balances()
	if diff(after["WETH"], before["WETH"]) != "-2000000000000000000" || diff(after["USDC"], before["USDC"]) != quoted {
		t.Fatalf("balances moved WETH %s, USDC %s; the quote said −2 WETH, +%s USDC base units",
			diff(after["WETH"], before["WETH"]), diff(after["USDC"], before["USDC"]), quoted)
	}
	do("the page shows the new balance", poll(`document.querySelector("#swap-bal-WETH").textContent !== `+jsString(fmtTokens(before["WETH"], 18))))

	// No slippage allowed, and another trader moves the market after the
	// quote: the swap is refused whole, next to the slippage field.
	var ok bool
	eval(`(() => { const s = document.querySelector("#swap-slippage"); s.value = "0"; s.dispatchEvent(new Event("change")); return true; })()`, &ok)
	do("quote without slippage", chromedp.SendKeys(chromedp.ID("swap-amount"), "1"), chromedp.WaitVisible(chromedp.ID("swap-split")),
		poll(`document.querySelector("#swap-min") && document.querySelector("#swap-quote").dataset.amountOut === document.querySelector("#swap-quote").dataset.minAmountOut`))
	m.post(t, m.trader, `{"op":"swap","args":{"tokenIn":"WETH","tokenOut":"USDC","amountIn":"20000000000000000000","split":true}}`)
	before = balances()
	do("swap refused", chromedp.Click(chromedp.ID("swap-submit")), poll(`document.querySelector("#swap-slippage-error").textContent.includes("minAmountOut")`))
	if after := balances(); after["WETH"] != before["WETH"] || after["USDC"] != before["USDC"] {
		t.Fatalf("a refused swap moved balances: %v → %v", before, after)
	}
	t.Logf("refused: %s", text("#swap-slippage-error"))

	// Pair 0's page: price, balances and reserve ratio over time; add
	// liquidity after its preview, then remove all of it.
	do("pair page", chromedp.Click(chromedp.CSS(`#pairs tr[data-pair="0"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#pair-price svg")), chromedp.WaitVisible(chromedp.CSS("#pair-balances svg")),
		chromedp.WaitVisible(chromedp.CSS("#pair-ratio svg")))
	do("add liquidity", chromedp.SendKeys(chromedp.ID("add-amount"), "1000"), chromedp.WaitVisible(chromedp.ID("add-shares")),
		chromedp.WaitEnabled(chromedp.ID("add-submit")))
	t.Logf("deposit preview: %s", text("#add-preview"))
	shot("pair-laptop.png")
	do("deposit", chromedp.Click(chromedp.ID("add-submit")), poll(`document.querySelector("#add-status").textContent.includes("Added")`))
	var pair struct{ LPBalances map[string]string }
	json.Unmarshal(m.call(t, "GET", "/v1/swap/pairs/0", m.user, nil), &pair)
	if pair.LPBalances["newcomer"] == "" {
		t.Fatal("no LP shares after the deposit")
	}
	do("remove all", poll(`document.querySelector('[data-stat="Your LP shares"]').textContent !== "0"`),
		chromedp.Click(chromedp.ID("remove-all")), chromedp.WaitVisible(chromedp.ID("remove-pays")),
		chromedp.WaitEnabled(chromedp.ID("remove-submit")), chromedp.Click(chromedp.ID("remove-submit")),
		poll(`document.querySelector("#remove-status").textContent.includes("Removed")`))
	t.Logf("remove: %s", text("#remove-status"))
	pair.LPBalances = nil
	json.Unmarshal(m.call(t, "GET", "/v1/swap/pairs/0", m.user, nil), &pair)
	if pair.LPBalances["newcomer"] != "" {
		t.Fatalf("LP shares left after removing all: %s", pair.LPBalances["newcomer"])
	}

	// Phone width: nothing scrolls sideways.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(m.url+"/#/swap"),
		chromedp.WaitVisible(chromedp.CSS(`#pairs tr[data-pair="7"]`)), chromedp.WaitVisible(chromedp.CSS(`#vpools-table`)))
	var overflow bool
	eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		t.Errorf("the swap page scrolls sideways at 390 px")
	}
	shot("swap-phone.png")
	do("phone pair page", chromedp.Navigate(m.url+"/#/swap/pair/0"), chromedp.WaitVisible(chromedp.CSS("#pair-ratio svg")))
	eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		t.Errorf("the pair page scrolls sideways at 390 px")
	}
}

// swapMarket is a server on the demo's seed, with the demo user's key and
// another trader's.
type swapMarket struct {
	market
	trader string
}

func newSwapMarket(t *testing.T) *swapMarket {
	t.Helper()
	ctx := context.Background()
	n, err := server.Open(ctx, server.Options{Store: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if _, err := server.NewDemo(1).Prepare(ctx, n); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.NewHandler(n, server.HandlerOptions{Dev: true, Heartbeat: time.Second}))
	t.Cleanup(srv.Close)
	m := &swapMarket{market: market{url: srv.URL}}
	for _, k := range []struct {
		to            *string
		role, account string
	}{{&m.admin, server.RoleAdmin, ""}, {&m.user, server.RoleUser, server.DemoUserAccount}, {&m.trader, server.RoleUser, "pablo"}} {
		token, _, err := n.Store().CreateKey(ctx, store.NewKey{Role: k.role, Account: k.account}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		*k.to = token
	}
	m.post(t, m.admin, `{"op":"mint","args":{"to":"pablo","asset":"WETH","amount":"100000000000000000000"}}`)
	return m
}

// diff is a − b of two decimal amounts (an absent one is 0).
func diff(a, b string) string {
	x, _ := new(big.Int).SetString(a, 10)
	y, _ := new(big.Int).SetString(b, 10)
	if x == nil {
		x = new(big.Int)
	}
	if y == nil {
		y = new(big.Int)
	}
	return x.Sub(x, y).String()
}

// fmtTokens is how the page writes base units with 4 decimals shown, for
// the balances of the swap page (1,234.5678).
func fmtTokens(base string, decimals int) string {
	v, _ := new(big.Int).SetString(base, 10)
	drop := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals-4)), nil)
	v.Add(v, new(big.Int).Quo(drop, big.NewInt(2))).Quo(v, drop)
	s := v.String()
	for len(s) < 5 {
		s = "0" + s
	}
	whole, frac := s[:len(s)-4], s[len(s)-4:]
	for i := len(whole) - 3; i > 0; i -= 3 {
		whole = whole[:i] + "," + whole[i:]
	}
	return whole + "." + frac
}

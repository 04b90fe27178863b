package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vpool/vpool/server"
	"github.com/vpool/vpool/store"
)

// findChromium returns the browser to drive: $VPOOL_CHROMIUM, else
// chromium or chromium-browser on PATH, else /usr/bin/chromium. Without
// one the test is skipped, unless VPOOL_REQUIRE_BROWSER=1 (CI) makes it
// fail.
func findChromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("VPOOL_CHROMIUM")}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			candidates = append(candidates, p)
		}
	}
	candidates = append(candidates, "/usr/bin/chromium")
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c
		}
	}
	if os.Getenv("VPOOL_REQUIRE_BROWSER") == "1" {
		t.Fatal("VPOOL_REQUIRE_BROWSER=1 but no chromium was found (install it: apt-get install -y chromium, or set VPOOL_CHROMIUM)")
	}
	t.Skip("no chromium found (apt-get install -y chromium, or set VPOOL_CHROMIUM): the browser test is skipped")
	return ""
}

// browser starts headless chromium with a fresh profile; the context lives
// until the test ends.
func browser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	tctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return tctx
}

// tab drives the browser of ctx for test t; its methods fail the test.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// do runs steps, named what in a failure.
func (b tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression into out.
func (b tab) eval(expr string, out any) {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[json.RawMessage](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(v, out); err != nil {
		b.t.Fatalf("evaluate %s: %v in %s", expr, err, v)
	}
}

// text is the trimmed text of the element sel selects.
func (b tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// shot saves a screenshot of the whole page as name with save.
func (b tab) shot(save func(name string, png []byte), name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	save(name, png)
}

// market is a server on a fresh node with a small market: a strategy named
// "USDC lending", three USDC pools (0 and 1 compatible), carol's position
// over pools 0 and 1 so that cover can be bought, and alice, the user of
// the test, with 100,000 USDC.
type market struct {
	url                  string
	admin, user, arbiter string
}

func newMarket(t *testing.T) *market {
	t.Helper()
	return newMarketAt(t, nil)
}

// newMarketAt is newMarket on a node whose clock is clock (nil: the
// system's).
func newMarketAt(t *testing.T, clock func() time.Time) *market {
	t.Helper()
	ctx := context.Background()
	n, err := server.Open(ctx, server.Options{Store: t.TempDir(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	srv := httptest.NewServer(server.NewHandler(n, server.HandlerOptions{Dev: true, Heartbeat: time.Second}))
	t.Cleanup(srv.Close)
	m := &market{url: srv.URL}
	var carol string
	for _, k := range []struct {
		to            *string
		role, account string
	}{{&m.admin, server.RoleAdmin, ""}, {&m.arbiter, server.RoleArbiter, ""}, {&m.user, server.RoleUser, "alice"}, {&carol, server.RoleUser, "carol"}} {
		token, _, err := n.Store().CreateKey(ctx, store.NewKey{Role: k.role, Account: k.account}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		*k.to = token
	}
	pool := `{"op":"createPool","args":{"paymentAsset":"USDC","strategy":0,"feeRate":"10","uOptimal":"80","r0":"2","rSlope1":"6","rSlope2":"15","compatiblePools":%s}}`
	m.post(t, m.admin, `[{"op":"addAsset","args":{"symbol":"USDC","decimals":6}},`+
		`{"op":"addStrategy","args":{"name":"USDC lending","asset":"USDC","compounds":false,"feeRate":"5","payoutDeductible":"0"}},`+
		fmt.Sprintf(pool, "[]")+`,`+fmt.Sprintf(pool, "[0]")+`,`+fmt.Sprintf(pool, "[]")+`,`+
		`{"op":"mint","args":{"to":"alice","asset":"USDC","amount":"100000000000"}},`+
		`{"op":"mint","args":{"to":"carol","asset":"USDC","amount":"50000000000"}}]`)
	m.post(t, carol, `[{"op":"openPosition","args":{"amount":"20000000000","pools":[0,1]}},`+
		`{"op":"openPosition","args":{"amount":"8000000000","pools":[2]}}]`)
	return m
}

// post submits commands and fails the test unless each is ok.
func (m *market) post(t *testing.T, key, body string) {
	t.Helper()
	out := m.call(t, "POST", "/v1/commands", key, []byte(body))
	var outs []struct {
		OK      bool   `json:"ok"`
		Op      string `json:"op"`
		Message string `json:"message"`
	}
	if out[0] != '[' {
		out = append(append([]byte{'['}, out...), ']')
	}
	if err := json.Unmarshal(out, &outs); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, o := range outs {
		if !o.OK {
			t.Fatalf("%s: %s", o.Op, o.Message)
		}
	}
}

// call sends a request with a key and returns the answer's body.
func (m *market) call(t *testing.T, method, path, key string, body []byte) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, m.url+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
	}
	return out
}

// saver writes screenshots to the test's artifact directory (kept with
// go test -artifacts) and, when VPOOL_SCREENSHOTS names one, there too.
func saver(t *testing.T) func(name string, png []byte) {
	dirs := []string{t.ArtifactDir()}
	if d := os.Getenv("VPOOL_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return func(name string, png []byte) {
		t.Helper()
		for _, d := range dirs {
			p := filepath.Join(d, name)
			if err := os.WriteFile(p, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot %s", p)
		}
	}
}

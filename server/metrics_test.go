package server

import (
	"strings"
	"testing"
)

func TestMetricsExposeRequestsCommitsAndPools(t *testing.T) {
	ta := newTestAPI(t, HandlerOptions{Dev: true})
	ta.seed() // commits through OnCommit, wired by newTestAPI
	ta.must(200, "GET", "/v1/pools/0", "alice", "", nil)
	ta.do("GET", "/v1/pools/9", "alice", "")
	ta.do("GET", "/v1/nothing", "alice", "")
	rec := ta.must(200, "GET", "/metrics", "", "", nil)
	body := rec.Body.String()
	for _, want := range []string{
		`vpool_http_requests_total{code="200",route="GET /v1/pools/{id}"} 1`,
		`vpool_http_requests_total{code="404",route="GET /v1/pools/{id}"} 1`,
		`vpool_http_requests_total{code="404",route="unmatched"} 1`,
		`vpool_http_requests_total{code="200",route="POST /v1/commands"} 3`,
		`vpool_http_request_duration_seconds_bucket{code="200",route="GET /v1/pools/{id}",le="+Inf"} 1`,
		"vpool_commit_batch_commands_sum 8",
		"vpool_commit_duration_seconds_count 3",
		"vpool_queue_depth 0",
		"vpool_seq 8",
		`vpool_pool_utilization_ratio{pool="0"} 0.5`,
		`vpool_pool_premium_rate_ratio{pool="0"} 0.0575`,
		`vpool_pool_reward_rate_ratio{pool="0"} 0.02875`,
		`vpool_pool_liquidity{pool="0"} 1e+10`,
		`vpool_pool_available_liquidity{pool="0"} 5e+09`,
		`vpool_pool_covered_capital{pool="0"} 5e+09`,
		`vpool_pool_info{paused="false",payment_asset="USDC",pool="0",strategy="0"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// Handlers made side by side (as tests do) have registries of their own.
func TestMetricsRegistriesAreIndependent(t *testing.T) {
	a, b := newTestAPI(t, HandlerOptions{}), newTestAPI(t, HandlerOptions{})
	a.must(200, "GET", "/v1/whoami", "admin", "", nil)
	if strings.Contains(b.must(200, "GET", "/metrics", "", "", nil).Body.String(), `route="GET /v1/whoami"`) {
		t.Fatal("b's metrics count a's requests")
	}
}

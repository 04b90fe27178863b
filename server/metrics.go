package server

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vpool/vpool/cover"
)

// Metrics are the Prometheus metrics of one node and its HTTP API, in a
// registry of their own: requests by route and status, commit batches and
// their fsync time, the writer's queue, and per-pool gauges computed from
// the market at scrape time. Make one per node with NewMetrics, pass
// OnCommit as the node's Options.OnCommit and the Metrics to NewHandler.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	batch    prometheus.Histogram
	commit   prometheus.Histogram
	handler  http.Handler
	node     atomic.Pointer[Node]
	// byRoute caches the request series of each (route, status) seen.
	byRoute sync.Map // routeStatus -> *routeSeries
}

type routeStatus struct {
	route  string
	status int
}

type routeSeries struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// NewMetrics makes the metrics and their registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vpool_http_requests_total", Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "vpool_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern and status code.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "code"}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "vpool_commit_batch_commands", Help: "Commands made durable by one commit (one fsync).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 13),
		}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "vpool_commit_duration_seconds", Help: "Time to make a batch durable (the log append and its fsync).",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.batch, m.commit, nodeCollector{m},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
	return m
}

// OnCommit records a durable batch: pass it as the node's Options.OnCommit.
func (m *Metrics) OnCommit(commands int, d time.Duration) {
	m.batch.Observe(float64(commands))
	m.commit.Observe(d.Seconds())
}

// Registry is the registry the metrics are in, for adding more.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler { return m.handler }

func (m *Metrics) attach(n *Node) { m.node.Store(n) }

func (m *Metrics) observeRequest(route string, status int, d time.Duration) {
	key := routeStatus{route, status}
	v, ok := m.byRoute.Load(key)
	if !ok {
		code := strconv.Itoa(status)
		v, _ = m.byRoute.LoadOrStore(key, &routeSeries{
			count: m.requests.WithLabelValues(route, code), latency: m.latency.WithLabelValues(route, code)})
	}
	rs := v.(*routeSeries)
	rs.count.Inc()
	rs.latency.Observe(d.Seconds())
}

// nodeCollector reads the node's queue and market at scrape time.
type nodeCollector struct{ m *Metrics }

var (
	descQueue = prometheus.NewDesc("vpool_queue_depth", "Requests waiting for the writer.", nil, nil)
	descSeq   = prometheus.NewDesc("vpool_seq", "Sequence number of the last command applied.", nil, nil)
	descLead  = prometheus.NewDesc("vpool_leader", "1 when this node is the market's writer, 0 on a follower or standby.", nil, nil)
	descStale = prometheus.NewDesc("vpool_replica_staleness_seconds",
		"How long ago a follower or standby last read to the end of the log (0 on the leader).", nil, nil)
	descUtil = prometheus.NewDesc("vpool_pool_utilization_ratio",
		"Pool utilization, covered capital over liquidity (1 = 100%).", []string{"pool"}, nil)
	descRate = prometheus.NewDesc("vpool_pool_premium_rate_ratio",
		"Yearly premium rate of the pool's curve at its utilization (0.05 = 5%).", []string{"pool"}, nil)
	descReward = prometheus.NewDesc("vpool_pool_reward_rate_ratio",
		"Yearly reward rate of LP capital, utilization × premium rate, before fees.", []string{"pool"}, nil)
	descLiquidity = prometheus.NewDesc("vpool_pool_liquidity",
		"Pool liquidity (total), in base units of its strategy's asset.", []string{"pool"}, nil)
	descAvailable = prometheus.NewDesc("vpool_pool_available_liquidity",
		"Liquidity not covering anything, in base units.", []string{"pool"}, nil)
	descCovered = prometheus.NewDesc("vpool_pool_covered_capital",
		"Cover sold and active in the pool, in base units.", []string{"pool"}, nil)
	descPoolInfo = prometheus.NewDesc("vpool_pool_info",
		"Always 1: a pool's strategy, premium asset and whether it is paused.", []string{"pool", "strategy", "payment_asset", "paused"}, nil)
)

func (nodeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descQueue, descSeq, descLead, descStale, descUtil, descRate, descReward, descLiquidity, descAvailable, descCovered, descPoolInfo} {
		ch <- d
	}
}

// rayHundredPercent is 100% in ray percent (10^27 is 1%).
const rayHundredPercent = 1e29

func (c nodeCollector) Collect(ch chan<- prometheus.Metric) {
	n := c.m.node.Load()
	if n == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(n.QueueDepth()))
	leading := 0.0
	if n.Leading() {
		leading = 1
	}
	ch <- prometheus.MustNewConstMetric(descLead, prometheus.GaugeValue, leading)
	ch <- prometheus.MustNewConstMetric(descStale, prometheus.GaugeValue, n.Staleness().Seconds())
	if nodeUp(n) != nil {
		return
	}
	n.Read(func(m *cover.Market, now, seq uint64) {
		ch <- prometheus.MustNewConstMetric(descSeq, prometheus.GaugeValue, float64(seq))
		for id := range m.Counts().Pools {
			v, err := m.PoolAt(id, now)
			if err != nil {
				continue
			}
			pool := strconv.Itoa(id)
			ch <- prometheus.MustNewConstMetric(descPoolInfo, prometheus.GaugeValue, 1,
				pool, strconv.Itoa(v.Strategy), v.PaymentAsset, strconv.FormatBool(v.Paused))
			gauge := func(d *prometheus.Desc, decimal string, scale float64) {
				f, err := strconv.ParseFloat(decimal, 64)
				if err == nil {
					ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, f/scale, pool)
				}
			}
			gauge(descUtil, v.Utilization, rayHundredPercent)
			gauge(descRate, v.PremiumRate, rayHundredPercent)
			gauge(descLiquidity, v.TotalLiquidity, 1)
			gauge(descAvailable, v.AvailableLiquidity, 1)
			gauge(descCovered, v.CoveredCapital, 1)
			if r, err := m.PoolRates(id, now); err == nil {
				gauge(descReward, r.RewardRate.Dec(), rayHundredPercent)
			}
		}
	})
}

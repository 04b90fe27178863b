// The pool page: live figures, the premium curve with the current point,
// utilization and premium rate over time, cover expiring in the coming
// ticks, and the pools sharing its liquidity.
import { h, replace } from "../dom.js";
import { get } from "../api.js";
import { state, subscribe, decimals, strategyName } from "../state.js";
import * as fmt from "../format.js";
import { plot, graph } from "../charts.js";
import { coverForm } from "../forms/cover.js";

// refreshEvery is the least time between two reloads of the slower views.
const refreshEvery = 2000;

export function renderPool(main, id) {
  const stats = h("dl", { class: "stats", id: "pool-stats" });
  const curve = h("div", { id: "pool-curve" });
  const history = h("div", { id: "pool-history" });
  const expiring = h("div", { id: "pool-expiring" });
  const shared = h("div", { id: "pool-shared" });
  const act = h("div", {});
  const title = h("h1", { tabindex: "-1" }, `Pool ${id}`);
  const panel = (hid, heading, body) => h("section", { class: "panel", "aria-labelledby": hid }, h("h2", { id: hid }, heading), body);
  const tickNote = h("p", { class: "note", id: "tick-note" }, "A tick is the pool's clock: cover expires at a tick, and premiums are spent ",
    "tick by tick. A tick lasts less when the premium rate is higher, so that premiums are always spent at the current rate: its length ",
    "changes whenever utilization does. The tick number moves on only once a whole tick has passed since the last one; a change of ",
    "length moves the time of the next tick, not the number.");
  replace(main, h("p", {}, h("a", { href: "#/" }, "← Market")), title, stats, tickNote,
    h("div", { class: "grid2" },
      panel("curve-h", "Premium curve", curve),
      panel("history-h", "Utilization and premium rate over time", history),
      panel("expiring-h", "Cover expiring in the coming ticks", expiring),
      panel("shared-h", "Pools sharing its liquidity", shared)),
    act);

  let curveView = null;
  let loadedSeq = -1;
  let lastLoad = 0;
  let timer = null;
  let built = false;
  const load = async () => {
    lastLoad = Date.now();
    loadedSeq = state.market.seq;
    const [c, hist, line] = await Promise.all([get(`/v1/pools/${id}/curve`), get(`/v1/pools/${id}/history`),
      get(`/v1/pools/${id}/expiring?limit=40`)]).catch((err) => {
      replace(curve, h("p", { class: "error" }, err.message));
      return [];
    });
    if (!c || !main.contains(curve)) return;
    curveView = c;
    drawCurve(curve, c, state.market.pools[id]);
    drawHistory(history, hist, state.market.pools[id]);
    drawExpiring(expiring, line, state.market.pools[id]);
  };
  const unsubscribe = subscribe((market) => {
    const p = market.pools[id];
    if (!p) {
      replace(main, h("h1", { tabindex: "-1" }, `No pool ${id}`), h("p", {}, h("a", { href: "#/" }, "Back to the market")));
      return;
    }
    title.textContent = `Pool ${id} · ${p.paymentAsset}${p.paused ? " (paused)" : ""}`;
    drawStats(stats, p, market.at);
    drawShared(shared, market, id);
    if (curveView) drawCurve(curve, curveView, p);
    if (market.seq !== loadedSeq && !timer) {
      timer = setTimeout(() => { timer = null; load(); }, Math.max(0, lastLoad + refreshEvery - Date.now()));
    }
    if (!built && state.me.role === "user") {
      built = true;
      act.append(panel("buy-h", `Buy cover in pool ${id}`, coverForm({ pool: id })));
    }
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}

function drawStats(el, p, now) {
  const nextTick = Math.max(0, Number(p.lastUpdateTimestamp) + Number(p.secondsPerTick) - now);
  const d = decimals(p.paymentAsset);
  const a = (v) => `${fmt.amount(v, d, 0)} ${p.paymentAsset}`;
  const items = [["Liquidity", a(p.totalLiquidity)], ["Covered", a(p.coveredCapital)], ["Available", a(p.availableLiquidity)],
    ["Utilization", fmt.pct(p.utilization)], ["Premium rate", fmt.pct(p.premiumRate)], ["LP reward rate", fmt.pct(p.rewardRate)],
    ["Net LP rate", fmt.pct(p.netLpRate)], ["Tick", `${p.tick}, the next in ${fmt.duration(nextTick)}`],
    ["Tick length", `${fmt.duration(p.secondsPerTick)} at this utilization`], ["Strategy", strategyName(p.strategy)], ["Open claims", p.ongoingClaims]];
  replace(el, items.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", { "data-stat": k }, v))));
}

function drawCurve(el, c, p) {
  const pts = c.points.map((q) => [fmt.rayToNumber(q.utilization), fmt.rayToNumber(q.premiumRate)]);
  const u = fmt.rayToNumber(p.utilization);
  const r = fmt.rayToNumber(p.premiumRate);
  replace(el, h("figure", {},
    plot({
      title: `Premium rate against utilization, pool ${c.pool}`,
      desc: `From ${fmt.pct(c.r0)} at 0% to ${fmt.pct(c.points.at(-1).premiumRate)} at 100%, with the kink at ${fmt.pct(c.uOptimal, 0)}. Now: ${fmt.pct(p.utilization)} used, ${fmt.pct(p.premiumRate)} premium rate.`,
      x: { min: 0, max: 100, fmt: (v) => `${v}%` },
      y: { min: 0, max: Math.max(...pts.map((q) => q[1])) * 1.08, fmt: (v) => `${v}%` },
      series: [{ points: pts, cls: "line1" }],
      marker: { x: u, y: r, label: `now ${u.toFixed(1)}% → ${r.toFixed(2)}%` },
    }),
    h("figcaption", {}, `Kink at ${fmt.pct(c.uOptimal, 0)} utilization. Pool fee ${fmt.pct(c.feeRate, 1)}, leverage fee ${fmt.pct(c.leverageFeePerPool, 1)} per pool.`)));
}

function drawHistory(el, hist, p) {
  const pts = hist.points;
  if (!pts.length) return replace(el, h("p", { class: "muted" }, "No history yet."));
  const now = state.market.at;
  const u = pts.map((q) => [q.at, fmt.rayToNumber(q.utilization)]).concat([[now, fmt.rayToNumber(p.utilization)]]);
  const r = pts.map((q) => [q.at, fmt.rayToNumber(q.premiumRate)]).concat([[now, fmt.rayToNumber(p.premiumRate)]]);
  const min = pts[0].at;
  const tfmt = fmt.axisTime(min, now);
  replace(el, h("figure", {},
    plot({
      title: `Utilization and premium rate over time, pool ${p.id}`,
      desc: `${pts.length} points since ${fmt.time(min)}. Utilization went from ${fmt.pct(pts[0].utilization)} to ${fmt.pct(p.utilization)}; the premium rate from ${fmt.pct(pts[0].premiumRate)} to ${fmt.pct(p.premiumRate)}.`,
      x: { min, max: Math.max(now, min + 1), fmt: tfmt, time: true },
      y: { min: 0, max: Math.max(10, ...u.map((q) => q[1]), ...r.map((q) => q[1])) * 1.05, fmt: (v) => `${v}%` },
      series: [{ points: u, cls: "line1", step: true }, { points: r, cls: "line2", step: true }],
    }),
    h("figcaption", { class: "legend" }, h("span", { class: "k1" }, "Utilization"), h("span", { class: "k2" }, "Premium rate"))));
}

function drawExpiring(el, line, p) {
  const d = decimals(p.paymentAsset);
  if (!line.expiring.length) return replace(el, h("p", { class: "muted" }, "No cover is registered to expire."));
  const bars = line.expiring.map((e) => [e.at, fmt.amountNumber(e.amount, d)]);
  const covered = [[line.at, fmt.amountNumber(p.coveredCapital, d)]].concat(line.expiring.map((e) => [e.at, fmt.amountNumber(e.coveredAfter, d)]));
  const last = line.expiring.at(-1).at;
  const span = last - line.at;
  const tfmt = fmt.axisTime(line.at, last);
  const total = line.expiring.reduce((n, e) => n + fmt.amountNumber(e.amount, d), 0);
  replace(el, h("figure", {},
    plot({
      title: `Cover expiring in pool ${p.id}`,
      desc: `${line.expiring.length} ticks ahead hold expiring cover, the first at ${fmt.time(line.expiring[0].at)}, the last at ${fmt.time(last)}.`,
      x: { min: line.at, max: last + span * 0.03 + 1, fmt: tfmt, time: true },
      y: { min: 0, max: Math.max(...covered.map((q) => q[1]), 1) * 1.08, fmt: (v) => v.toLocaleString([], { notation: "compact" }) },
      bars: { points: bars, cls: "bar1", width: 5 },
      series: [{ points: covered, cls: "line1", step: true }],
    }),
    h("figcaption", { class: "legend" }, h("span", { class: "k2" }, `Cover ending at a tick (${p.paymentAsset})`), h("span", { class: "k1" }, "Covered capital left"))),
    h("details", {}, h("summary", {}, `The next ${Math.min(10, line.expiring.length)} ticks`),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Tick"), h("th", { scope: "col" }, "When"),
        h("th", { scope: "col", class: "num" }, "Expiring"))),
        h("tbody", {}, line.expiring.slice(0, 10).map((e) => h("tr", {}, h("td", {}, e.tick), h("td", {}, fmt.time(e.at)),
          h("td", { class: "num" }, `${fmt.amount(e.amount, d)} ${p.paymentAsset}`)))))),
    h("p", { class: "note" }, `Now at tick ${line.tick}; times assume no other command comes first. Shown: ${total.toLocaleString()} ${p.paymentAsset}.`));
}

function drawShared(el, market, id) {
  const p = market.pools[id];
  const d = decimals(p.paymentAsset);
  const neighbours = Object.keys(p.overlaps).map(Number).filter((n) => n !== id);
  if (!neighbours.length) return replace(el, h("p", { class: "muted" }, "No pool shares liquidity with this one."));
  const ids = [id, ...neighbours];
  const edges = [];
  for (const a of ids) {
    for (const b of ids) {
      const amt = a < b && market.pools[a].overlaps[b];
      if (amt && amt !== "0") {
        edges.push({ a, b, weight: fmt.amountNumber(amt, d), label: fmt.amount(amt, d, 0) });
      }
    }
  }
  replace(el, h("figure", {},
    graph({
      title: `Liquidity pool ${id} shares`,
      desc: neighbours.map((n) => `pool ${n}: ${fmt.amount(p.overlaps[n], d, 0)} ${p.paymentAsset}`).join("; "),
      self: id,
      nodes: ids.map((n) => ({ id: n, label: `Pool ${n}`, href: `#/pool/${n}` })),
      edges,
    }),
    h("figcaption", {}, `Edge width is the capital two pools share: a claim paid in one lowers the other's liquidity by its share. Pool ${id} holds ${fmt.amount(p.totalLiquidity, d, 0)} ${p.paymentAsset} in all.`)),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Pool"), h("th", { scope: "col", class: "num" }, "Shared with this pool"))),
      h("tbody", {}, neighbours.map((n) => h("tr", {}, h("td", {}, h("a", { href: `#/pool/${n}` }, `Pool ${n}`)),
        h("td", { class: "num" }, `${fmt.amount(p.overlaps[n], d, 0)} ${p.paymentAsset}`))))));
}

// A swap pair's page: its figures and reserve ratio, its price, balances
// and reserve ratio over time, and (for a user) liquidity forms.
import { h, replace } from "../dom.js";
import { get } from "../api.js";
import { state, subscribe, decimals } from "../state.js";
import * as fmt from "../format.js";
import { plot } from "../charts.js";
import { ratioBar, pairName } from "./swap_parts.js";
import { depositForm, withdrawForm } from "../forms/liquidity.js";

// refreshEvery is the least time between two reloads of the history.
const refreshEvery = 2000;

export function renderPair(main, id) {
  const title = h("h1", { tabindex: "-1" }, `Pair ${id}`);
  const stats = h("dl", { class: "stats", id: "pair-stats" });
  const priceChart = h("div", { id: "pair-price" });
  const balanceChart = h("div", { id: "pair-balances" });
  const ratioChart = h("div", { id: "pair-ratio" });
  const act = h("div", { class: "grid2" });
  const panel = (hid, heading, body) => h("section", { class: "panel", "aria-labelledby": hid }, h("h2", { id: hid }, heading), body);
  replace(main, h("p", {}, h("a", { href: "#/swap" }, "← Swap")), title, stats,
    h("div", { class: "grid2" },
      panel("price-h", "Price over time", priceChart),
      panel("bal-h", "Balances over time", balanceChart),
      panel("ratio-h", "Reserve ratio over time", ratioChart)),
    act);

  let loadedSeq = -1;
  let lastLoad = 0;
  let timer = null;
  let forms = null;
  const load = async () => {
    lastLoad = Date.now();
    loadedSeq = state.market.seq;
    try {
      const hist = await get(`/v1/swap/pairs/${id}/history`);
      const p = state.market.swap?.pairs[id];
      if (!p || !main.contains(priceChart)) return;
      drawHistory(priceChart, balanceChart, ratioChart, hist.points, p);
    } catch (err) {
      replace(priceChart, h("p", { class: "error" }, err.message));
    }
  };
  const unsubscribe = subscribe((market) => {
    const p = market.swap?.pairs[id];
    if (!p) {
      replace(main, h("h1", { tabindex: "-1" }, `No pair ${id}`), h("p", {}, h("a", { href: "#/swap" }, "Back to the swap market")));
      return;
    }
    title.textContent = `Pair ${pairName(p)}${p.closed ? " (closed)" : ""}`;
    drawStats(stats, p);
    if (market.seq !== loadedSeq && !timer) {
      timer = setTimeout(() => { timer = null; load(); }, Math.max(0, lastLoad + refreshEvery - Date.now()));
    }
    if (!forms && state.me.role === "user") {
      forms = [depositForm(p), withdrawForm(p)];
      act.append(panel("add-h", "Add liquidity", forms[0].el), panel("remove-h", "Remove liquidity", forms[1].el));
    }
    if (forms) for (const f of forms) f.refresh(p);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}

function drawStats(el, p) {
  const d0 = decimals(p.token0);
  const d1 = decimals(p.token1);
  const reserves = Object.entries(p.reserves);
  const mine = state.me.account ? p.lpBalances[state.me.account] : undefined;
  const items = [
    [`${p.token0} balance`, fmt.amount(p.balance0, d0)], [`${p.token1} balance`, fmt.amount(p.balance1, d1)],
    [`1 ${p.token0} =`, p.price0 ? `${fmt.amount(p.price0, d1, 6)} ${p.token1}` : "—"],
    [`1 ${p.token1} =`, p.price1 ? `${fmt.amount(p.price1, d0, 6)} ${p.token0}` : "—"],
    ["Fee", `${fmt.feeRate(p.fee)} (virtual ${fmt.feeRate(p.vFee)})`],
    ["LP supply", fmt.count(p.totalSupply)], ["Your LP shares", mine ? fmt.count(mine) : "0"],
    ["Reserves held", reserves.length ? reserves.map(([t, v]) => `${fmt.amount(v, decimals(t), 4)} ${t}`).join(", ") : "none"],
    ["Reserves allowed", p.allowList.length ? p.allowList.join(", ") : "none"],
    ["Reference lock", p.blocksDelay ? `${p.blocksDelay} block${p.blocksDelay === 1 ? "" : "s"} after block ${p.lastSwapBlock}` : "none"],
  ];
  replace(el, items.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", { "data-stat": k }, v))),
    h("div", { class: "wide" }, h("dt", {}, "Reserve ratio"), h("dd", {}, ratioBar(p))));
}

function drawHistory(priceEl, balEl, ratioEl, points, p) {
  if (!points.length) {
    for (const el of [priceEl, balEl, ratioEl]) replace(el, h("p", { class: "muted" }, "No history yet."));
    return;
  }
  const d0 = decimals(p.token0);
  const d1 = decimals(p.token1);
  const now = state.market.at;
  const all = points.concat([{ at: now, balance0: p.balance0, balance1: p.balance1, price0: p.price0, price1: p.price1, reserveRatio: p.reserveRatio }]);
  const min = points[0].at;
  const x = { min, max: Math.max(now, min + 1), fmt: fmt.axisTime(min, now), time: true };
  // The price the way round that reads best: the dearer token in the other.
  const flip = !p.price0 || BigInt(p.price0) < 10n ** BigInt(d1);
  const [key, base, quote, dq] = flip ? ["price1", p.token1, p.token0, d0] : ["price0", p.token0, p.token1, d1];
  const priced = all.filter((q) => q[key]);
  const price = priced.map((q) => [q.at, fmt.amountNumber(q[key], dq)]);
  const prices = price.map((q) => q[1]);
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  replace(priceEl, h("figure", {},
    plot({
      title: `Price of ${base} in ${quote}, pair ${p.id}`,
      desc: `${priced.length} points since ${fmt.time(min)}: from ${fmt.amount(priced[0][key], dq, 4)} to ${fmt.amount(priced.at(-1)[key], dq, 4)} ${quote} per ${base}.`,
      x, y: { min: lo - (hi - lo) * 0.1 - hi * 0.001, max: hi + (hi - lo) * 0.1 + hi * 0.001, fmt: compact },
      series: [{ points: price, cls: "line1", step: true }],
    }),
    h("figcaption", {}, `${quote} per ${base}, at the pair's balances before fees.`)));
  // Each balance as a percent of where it started, so both fit one axis.
  const rel = (key, dec) => {
    const first = fmt.amountNumber(all[0][key], dec) || 1;
    return all.map((q) => [q.at, (fmt.amountNumber(q[key], dec) / first) * 100]);
  };
  const b0 = rel("balance0", d0);
  const b1 = rel("balance1", d1);
  const ys = b0.concat(b1).map((q) => q[1]);
  replace(balEl, h("figure", {},
    plot({
      title: `Balances of pair ${p.id}, as a percent of the first point`,
      desc: `${p.token0} went from ${fmt.amount(all[0].balance0, d0)} to ${fmt.amount(p.balance0, d0)}; ${p.token1} from ${fmt.amount(all[0].balance1, d1)} to ${fmt.amount(p.balance1, d1)}.`,
      x, y: { min: Math.min(...ys) * 0.98, max: Math.max(...ys) * 1.02, fmt: (v) => `${v.toFixed(0)}%` },
      series: [{ points: b0, cls: "line1", step: true }, { points: b1, cls: "line2", step: true }],
    }),
    h("figcaption", { class: "legend" }, h("span", { class: "k1" }, `${p.token0} (now ${fmt.amount(p.balance0, d0)})`),
      h("span", { class: "k2" }, `${p.token1} (now ${fmt.amount(p.balance1, d1)})`))));
  const rr = all.map((q) => [q.at, fmt.ratioNumber(q.reserveRatio)]);
  const max = fmt.ratioNumber(p.maxReserveRatio);
  const warn = fmt.ratioNumber(p.warningThreshold);
  replace(ratioEl, h("figure", {},
    plot({
      title: `Reserve ratio of pair ${p.id}`,
      desc: `Now ${fmt.ratio(p.reserveRatio)}; the maximum is ${fmt.ratio(p.maxReserveRatio)} and the warning ${fmt.ratio(p.warningThreshold)}.`,
      x, y: { min: 0, max: Math.max(max, ...rr.map((q) => q[1])) * 1.08, fmt: (v) => `${v}%` },
      series: [{ points: rr, cls: "line1", step: true, area: true },
        { points: [[x.min, warn], [x.max, warn]], cls: "line2" }, { points: [[x.min, max], [x.max, max]], cls: "line3" }],
    }),
    h("figcaption", { class: "legend" }, h("span", { class: "k1" }, "Reserve ratio"), h("span", { class: "k2" }, "Warning"),
      h("span", { class: "k3" }, "Maximum"))));
}

// compact labels an axis of prices: 2,973.5 or 0.00034.
const compact = (v) => (Math.abs(v) >= 100 ? v.toLocaleString([], { maximumFractionDigits: 1 }) : v.toPrecision(3));

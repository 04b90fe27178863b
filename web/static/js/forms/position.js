// Providing liquidity over one or several compatible pools: the engine
// quotes the combined APY and the leverage fee before the person confirms.
import { h, replace } from "../dom.js";
import { call, command } from "../api.js";
import { state, poolAsset, strategyName } from "../state.js";
import * as fmt from "../format.js";
import { field, amountInput, showError, clearErrors, routeError, debounce } from "./form.js";

const CODES = {
  zero_amount: "amount", insufficient_balance: "amount", invalid_argument: "amount",
  pool_not_found: "pools", pool_paused: "pools", frozen: "pools", pools_not_ascending: "pools",
  incompatible_pools: "pools", mixed_strategies: "pools", max_leverage_exceeded: "pools",
};

// positionForm builds the form.
export function positionForm() {
  const pools = state.market.pools;
  const amount = field({ id: "lp-amount", label: "Amount", input: amountInput(), hint: "Deposited once; it backs every pool you pick." });
  const poolsError = h("p", { class: "error", id: "lp-pools-error" });
  const boxes = pools.map((p) => h("input", { type: "checkbox", id: `lp-pool-${p.id}`, value: p.id, disabled: p.paused }));
  const notes = pools.map(() => h("span", { class: "hint" }));
  const fieldset = h("fieldset", { "aria-describedby": "lp-pools-hint lp-pools-error" },
    h("legend", {}, "Pools"),
    h("p", { class: "hint", id: "lp-pools-hint" }, "One pool, or several compatible pools (leverage: the same capital backs each)."),
    pools.map((p, i) => h("label", { class: "check", for: `lp-pool-${p.id}` }, boxes[i],
      `Pool ${p.id} · ${p.paymentAsset} · net ${fmt.pct(p.netLpRate)}`, notes[i])),
    poolsError);
  const f = { amount, pools: { input: fieldset, fieldset, error: poolsError } };
  const quoteBox = h("div", { class: "quote", id: "lp-quote", "aria-live": "polite" });
  const formError = h("p", { class: "error", id: "lp-error" });
  const status = h("p", { class: "status", id: "lp-status", role: "status" });
  const submit = h("button", { type: "submit", id: "lp-submit", disabled: true }, "Open position");
  const form = h("form", { novalidate: true, "aria-label": "Provide liquidity" }, amount.wrap, fieldset, quoteBox, formError,
    h("div", { class: "row" }, submit), status);

  // Compatibility, from each pool's curve view, greys out what cannot join.
  const compatible = new Map();
  Promise.all(pools.map((p) => call("GET", `/v1/pools/${p.id}/curve`).then((c) => compatible.set(p.id, new Set(c.compatiblePools)))))
    .then(markCompatible, () => {});
  function markCompatible() {
    const chosen = selected();
    pools.forEach((p, i) => {
      if (boxes[i].checked || p.paused) return;
      const clash = chosen.find((c) => !compatible.get(c)?.has(p.id) || pools[c].strategy !== p.strategy);
      boxes[i].disabled = clash !== undefined;
      notes[i].textContent = clash !== undefined ? ` (not compatible with pool ${clash})` : "";
    });
  }
  const selected = () => boxes.filter((b) => b.checked).map((b) => Number(b.value));

  let quoted = null;
  let seq = 0;
  const quote = async (show) => {
    const mine = ++seq;
    quoted = null;
    submit.disabled = true;
    clearErrors(f, formError);
    const chosen = selected();
    const { symbol, decimals } = poolAsset(chosen[0] ?? 0);
    let base;
    try {
      if (!chosen.length) throw Object.assign(new Error("Pick at least one pool."), { field: f.pools });
      base = fmt.parseAmount(amount.input.value, decimals);
    } catch (e) {
      if (show) showError(e.field || amount, e.message);
      replace(quoteBox);
      return null;
    }
    try {
      const q = await call("POST", "/v1/quote/position", { pools: chosen, amount: base });
      if (mine !== seq) return null;
      quoted = { pools: chosen, amount: base, symbol, decimals };
      showQuote(q);
      submit.disabled = false;
      return quoted;
    } catch (err) {
      if (mine === seq) {
        replace(quoteBox);
        routeError(err, f, CODES, formError);
      }
      return null;
    }
  };
  const showQuote = (q) => {
    const lev = q.pools[0].leverageFee;
    replace(quoteBox,
      h("table", {},
        h("caption", {}, "What this position would earn"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Pool"), h("th", { class: "num", scope: "col" }, "Rewards"),
          h("th", { class: "num", scope: "col" }, "Fees"), h("th", { class: "num", scope: "col" }, "Net"))),
        h("tbody", {}, q.pools.map((p) => h("tr", {}, h("td", {}, `Pool ${p.pool}`), h("td", { class: "num" }, fmt.pct(p.rewardRate)),
          h("td", { class: "num" }, `${fmt.pct(p.feeRate, 1)} + ${fmt.pct(p.leverageFee, 1)}`), h("td", { class: "num" }, fmt.pct(p.netRate)))))),
      h("dl", {},
        h("dt", {}, `Strategy yield, ${strategyName(q.strategy)}`), h("dd", {}, fmt.pct(q.strategyRate)),
        h("dt", {}, "Leverage fee"), h("dd", { id: "lp-leverage-fee" }, q.pools.length > 1
          ? `${fmt.pct(lev, 1)} of rewards (${q.pools.length} pools)` : "none (one pool)"),
        h("dt", {}, "Combined APY"), h("dd", { class: "big", id: "lp-apy" }, fmt.pct(q.apy))));
  };
  const later = debounce(() => quote(false), 250);
  amount.input.addEventListener("input", later);
  boxes.forEach((b) => b.addEventListener("change", () => { markCompatible(); later(); }));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.textContent = "";
    status.className = "status";
    const q = quoted || (await quote(true));
    if (!q) return;
    submit.disabled = true;
    try {
      const out = await command("openPosition", { amount: q.amount, pools: q.pools });
      status.textContent = `Position #${out.result.position} opened: ${fmt.amount(q.amount, q.decimals)} ${q.symbol} over pool${q.pools.length > 1 ? "s" : ""} ${q.pools.join(", ")}.`;
      status.classList.add("ok");
      amount.input.value = "";
      replace(quoteBox);
      quoted = null;
    } catch (err) {
      routeError(err, f, CODES, formError);
      submit.disabled = false;
    }
  });
  return form;
}

// Buying cover: quote as the person types, then openCover with the
// quoted premiums. Every number of the quote is the engine's.
import { h, replace } from "../dom.js";
import { call, command } from "../api.js";
import { state, poolAsset } from "../state.js";
import * as fmt from "../format.js";
import { field, amountInput, showError, clearErrors, routeError, debounce } from "./form.js";

// Which field an engine or API error code is about.
const CODES = {
  pool_not_found: "pool", pool_paused: "pool", frozen: "pool",
  insufficient_capacity: "amount", zero_amount: "amount", invalid_argument: "amount",
  duration_below_one_tick: "value", duration_overflow: "value", overflow: "value", insufficient_balance: "value",
};

// coverForm builds the form; pool, when given, fixes the pool.
export function coverForm({ pool } = {}) {
  const pools = state.market.pools;
  const f = {
    pool: field({ id: "cover-pool", label: "Pool",
      input: h("select", {}, pools.map((p) => h("option", { value: p.id }, `Pool ${p.id} · ${p.paymentAsset}${p.paused ? " (paused)" : ""}`))) }),
    amount: field({ id: "cover-amount", label: "Cover amount", input: amountInput(), hint: "In tokens of the pool's asset, e.g. 1000." }),
    value: field({ id: "cover-value", label: "Premiums to pay", input: amountInput() }),
  };
  if (pool !== undefined) {
    f.pool.input.value = pool;
    f.pool.wrap.hidden = true;
  }
  const byPremiums = h("input", { type: "radio", name: "cover-by", id: "cover-by-premiums", value: "premiums", checked: true });
  const byDays = h("input", { type: "radio", name: "cover-by", id: "cover-by-days", value: "days" });
  const by = h("fieldset", {}, h("legend", {}, "Pay for"),
    h("div", { class: "radios" }, h("label", { class: "check" }, byPremiums, "Premiums I choose"), h("label", { class: "check" }, byDays, "A duration")));
  const quoteBox = h("div", { class: "quote", id: "cover-quote", "aria-live": "polite" });
  const formError = h("p", { class: "error", id: "cover-error" });
  const status = h("p", { class: "status", id: "cover-status", role: "status" });
  const buy = h("button", { type: "submit", id: "cover-buy" }, "Buy cover");
  const form = h("form", { novalidate: true, "aria-label": "Buy cover" }, f.pool.wrap, f.amount.wrap, by, f.value.wrap,
    quoteBox, formError, h("div", { class: "row" }, buy), status);

  const asset = () => poolAsset(Number(f.pool.input.value));
  const relabel = () => {
    f.value.label.textContent = byDays.checked ? "Duration (days)" : `Premiums to pay (${asset().symbol})`;
    f.amount.label.textContent = `Cover amount (${asset().symbol})`;
  };
  relabel();

  // request is the quote request of the inputs; it throws, after showing
  // the error next to its field, when they do not parse.
  const request = (show) => {
    const { decimals } = asset();
    const req = { pool: Number(f.pool.input.value) };
    try {
      req.amount = fmt.parseAmount(f.amount.input.value, decimals);
    } catch (e) {
      if (show) showError(f.amount, e.message);
      throw e;
    }
    try {
      if (byDays.checked) {
        const days = Number(f.value.input.value.trim());
        if (!(days > 0)) throw new Error("Enter a number of days above 0, like 30.");
        req.duration = Math.round(days * 86400);
      } else {
        req.premiums = fmt.parseAmount(f.value.input.value, decimals);
      }
    } catch (e) {
      if (show) showError(f.value, e.message);
      throw e;
    }
    return req;
  };

  const showQuote = (q) => {
    const { symbol, decimals } = asset();
    replace(quoteBox, h("dl", {},
      h("dt", {}, "Premiums"), h("dd", { class: "big" }, `${fmt.amount(q.premiums, decimals)} ${symbol}`),
      h("dt", {}, "Lasts"), h("dd", {}, `${fmt.duration(q.durationSeconds)} (${q.ticks} ticks)`),
      h("dt", {}, "Premium rate after"), h("dd", {}, fmt.pct(q.premiumRate)),
      h("dt", {}, "Daily cost"), h("dd", {}, `${fmt.amount(q.dailyCost, decimals, 4)} ${symbol}`)));
  };

  let seq = 0;
  const quote = async (show) => {
    const mine = ++seq;
    clearErrors(f, formError);
    let req;
    try {
      req = request(show);
    } catch {
      replace(quoteBox);
      return null;
    }
    try {
      const q = await call("POST", "/v1/quote/cover", req);
      if (mine === seq) showQuote(q);
      return q;
    } catch (err) {
      if (mine === seq) {
        replace(quoteBox);
        routeError(err, f, CODES, formError);
      }
      return null;
    }
  };
  const later = debounce(() => quote(false), 250);
  for (const el of [f.pool.input, f.amount.input, f.value.input]) el.addEventListener("input", later);
  for (const el of [byPremiums, byDays]) el.addEventListener("change", () => { relabel(); later(); });
  f.pool.input.addEventListener("change", relabel);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.textContent = "";
    status.className = "status";
    buy.disabled = true;
    try {
      const q = await quote(true);
      if (!q) return;
      const out = await command("openCover", { pool: q.pool, amount: q.amount, premiums: q.premiums });
      const { symbol, decimals } = asset();
      status.textContent = `Cover #${out.result.cover} bought: ${fmt.amount(q.amount, decimals)} ${symbol} in pool ${q.pool} for ${fmt.amount(q.premiums, decimals)} ${symbol}.`;
      status.classList.add("ok");
      f.amount.input.value = "";
      f.value.input.value = "";
      replace(quoteBox);
    } catch (err) {
      routeError(err, f, CODES, formError);
    } finally {
      buy.disabled = false;
    }
  });
  return form;
}

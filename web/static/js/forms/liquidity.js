// Adding liquidity to a pair and removing it. Before each, the engine
// previews the op as it would run now (POST /v1/swap/preview): the
// amounts the pair's ratio takes and the shares minted, or what burning
// shares pays, reserves included.
import { h, replace } from "../dom.js";
import { call, command, get } from "../api.js";
import { state, decimals } from "../state.js";
import * as fmt from "../format.js";
import { field, amountInput, clearErrors, routeError, debounce } from "./form.js";

const CODES = {
  zero_amount: "amount", insufficient_balance: "amount", invalid_argument: "amount", overflow: "amount",
  insufficient_liquidity_minted: "amount", insufficient_liquidity_burned: "amount", pair_closed: "amount",
};

// previewed builds a form around one amount field: as the person types,
// preview(value) asks the engine what the op would do and show(result)
// draws it; submitting sends the op the preview was for. It returns
// {el, refresh(pair)}.
function previewed({ id, label, hint, button, decimalsOf, args, op, show, done, extra }) {
  const f = { amount: field({ id: `${id}-amount`, label, input: amountInput(), hint }) };
  const box = h("div", { class: "quote", id: `${id}-preview`, "aria-live": "polite" });
  const formError = h("p", { class: "error", id: `${id}-error` });
  const status = h("p", { class: "status", id: `${id}-status`, role: "status" });
  const submit = h("button", { type: "submit", id: `${id}-submit`, disabled: true }, button);
  const el = h("form", { novalidate: true, "aria-label": button }, f.amount.wrap, extra ? extra(f) : null, box, formError,
    h("div", { class: "row" }, submit), status);
  let pair = null;
  let current = null; // the args of the preview on screen
  let seq = 0;
  const preview = async () => {
    const mine = ++seq;
    clearErrors(f, formError);
    current = null;
    submit.disabled = true;
    let value;
    try {
      value = fmt.parseAmount(f.amount.input.value, decimalsOf(pair));
    } catch (e) {
      if (f.amount.input.value.trim() !== "") routeError({ code: "zero_amount", message: e.message }, f, CODES, formError);
      return replace(box);
    }
    try {
      const a = await args(pair, value);
      const out = await call("POST", "/v1/swap/preview", { op, args: a });
      if (mine !== seq) return;
      current = a;
      show(box, pair, out.result);
      submit.disabled = false;
    } catch (err) {
      if (mine !== seq) return;
      replace(box);
      routeError(err, f, CODES, formError);
    }
  };
  f.amount.input.addEventListener("input", debounce(preview, 250));
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!current) return;
    submit.disabled = true;
    status.className = "status";
    try {
      const out = await command(op, current);
      status.textContent = done(pair, out.result, out.seq);
      status.classList.add("ok");
      f.amount.input.value = "";
      current = null;
      replace(box);
    } catch (err) {
      routeError(err, f, CODES, formError);
      submit.disabled = false;
    }
  });
  return {
    el,
    f,
    refresh(p) {
      pair = p;
      f.amount.label.textContent = label(p);
    },
  };
}

// depositForm adds liquidity: an amount of token0, and as much token1 as
// the pair's ratio takes (up to what the user holds).
export function depositForm(p) {
  const form = previewed({
    id: "add", button: "Add liquidity", op: "pairDeposit",
    label: (q) => `Amount of ${q.token0}`, hint: "The pair's ratio sets how much of the other token goes with it.",
    decimalsOf: (q) => decimals(q.token0),
    args: async (q, amountA) => {
      const acct = await get(`/v1/accounts/${encodeURIComponent(state.me.account)}`);
      return { tokenA: q.token0, tokenB: q.token1, amountA, amountB: acct.balances[q.token1] || "0" };
    },
    show: (box, q, r) => replace(box, h("dl", {},
      h("dt", {}, "You put in"), h("dd", { id: "add-uses" }, `${fmt.amount(r.amountA, decimals(q.token0), 6)} ${q.token0}`, h("br", {}),
        `${fmt.amount(r.amountB, decimals(q.token1), 6)} ${q.token1}`),
      h("dt", {}, "LP shares minted"), h("dd", { class: "big", id: "add-shares" }, fmt.amount(r.shares, 0)))),
    done: (q, r, seq) => `Added ${fmt.amount(r.amountA, decimals(q.token0), 6)} ${q.token0} and ${fmt.amount(r.amountB, decimals(q.token1), 6)} ${q.token1}: ${fmt.amount(r.shares, 0)} shares (seq ${seq}).`,
  });
  form.refresh(p);
  return form;
}

// withdrawForm burns LP shares for the pair's balances and, pro rata,
// its reserves.
export function withdrawForm(p) {
  const form = previewed({
    id: "remove", button: "Remove liquidity", op: "pairWithdraw",
    label: () => "LP shares to burn", hint: "Whole shares; All fills in what you hold.",
    decimalsOf: () => 0,
    args: async (q, shares) => ({ tokenA: q.token0, tokenB: q.token1, shares }),
    show: (box, q, r) => {
      const reserves = Object.entries(r.reserves);
      replace(box, h("dl", {},
        h("dt", {}, "You receive"), h("dd", { id: "remove-pays" }, `${fmt.amount(r.amountA, decimals(q.token0), 6)} ${q.token0}`, h("br", {}),
          `${fmt.amount(r.amountB, decimals(q.token1), 6)} ${q.token1}`),
        reserves.length ? [h("dt", {}, "and reserves"), h("dd", {}, reserves.map(([t, v]) => `${fmt.amount(v, decimals(t), 6)} ${t}`).join(", "))] : null));
    },
    done: (q, r, seq) => `Removed: ${fmt.amount(r.amountA, decimals(q.token0), 6)} ${q.token0} and ${fmt.amount(r.amountB, decimals(q.token1), 6)} ${q.token1} paid out (seq ${seq}).`,
    extra: (f) => h("div", { class: "row" }, h("button", { type: "button", class: "secondary", id: "remove-all", onclick: () => {
      f.amount.input.value = pairNow()?.lpBalances[state.me.account] || "0";
      f.amount.input.dispatchEvent(new Event("input"));
    } }, "All")),
  });
  let latest = p;
  const pairNow = () => latest;
  const refresh = form.refresh;
  form.refresh = (q) => { latest = q; refresh(q); };
  form.refresh(p);
  return form;
}

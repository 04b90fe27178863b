// Swapping: pick two tokens and an amount, see every candidate route the
// router prices (native, two-hop, virtual) and the split it would take,
// then swap through the split with the minimum the slippage allows. Every
// amount, fee, price impact and minimum is the engine's.
import { h, replace } from "../dom.js";
import { call, command } from "../api.js";
import { decimals } from "../state.js";
import * as fmt from "../format.js";
import { field, amountInput, clearErrors, routeError, debounce } from "./form.js";
import { swapTokens, tokenSelect } from "../pages/swap_parts.js";

// Which field an engine or API error code is about.
const CODES = {
  zero_amount: "amount", insufficient_balance: "amount", invalid_argument: "amount", overflow: "amount",
  no_route: "tokenOut", not_found: "tokenOut",
  insufficient_output: "slippage",
};

// swapForm builds the form: {el, refresh}, refresh re-quoting what is on
// screen (the market moved).
export function swapForm() {
  const tokens = swapTokens();
  const f = {
    tokenIn: tokenSelect("swap-in", "You pay", tokens, tokens.includes("WETH") ? "WETH" : tokens[0]),
    tokenOut: tokenSelect("swap-out", "You receive", tokens, tokens.includes("USDC") ? "USDC" : tokens[1]),
    amount: field({ id: "swap-amount", label: "Amount", input: amountInput(), hint: "In whole tokens, e.g. 1.5." }),
    slippage: field({ id: "swap-slippage", label: "Slippage allowed",
      input: h("select", {}, [["10", "0.1%"], ["50", "0.5%"], ["100", "1%"], ["0", "none"]].map(([v, t]) => h("option", { value: v, selected: v === "50" }, t))),
      hint: "The swap fails, and changes nothing, if it would pay less than the quote by more than this." }),
  };
  const quoteBox = h("div", { class: "quote routes", id: "swap-quote", "aria-live": "polite" });
  const formError = h("p", { class: "error", id: "swap-error" });
  const status = h("p", { class: "status", id: "swap-status", role: "status" });
  const submit = h("button", { type: "submit", id: "swap-submit", disabled: true }, "Swap");
  const el = h("form", { novalidate: true, "aria-label": "Swap" }, h("div", { class: "row pick" }, f.tokenIn.wrap, f.tokenOut.wrap),
    f.amount.wrap, f.slippage.wrap, quoteBox, formError, h("div", { class: "row" }, submit), status);
  const relabel = () => { f.amount.label.textContent = `Amount of ${f.tokenIn.input.value}`; };
  relabel();

  let current = null; // the quote on screen and the request it answers
  let seq = 0;
  let busy = false;
  // quote prices what is on screen; show puts a parse error next to its
  // field; a live re-quote leaves the errors shown alone.
  const quote = async (show, live) => {
    const mine = ++seq;
    if (!live) clearErrors(f, formError);
    const tin = f.tokenIn.input.value;
    const tout = f.tokenOut.input.value;
    let amountIn;
    try {
      if (tin === tout) throw new Error("Pick two different tokens.");
      amountIn = fmt.parseAmount(f.amount.input.value, decimals(tin));
    } catch (e) {
      if (show) routeError({ code: tin === tout ? "no_route" : "zero_amount", message: e.message }, f, CODES, formError);
      current = null;
      submit.disabled = true;
      replace(quoteBox);
      return null;
    }
    try {
      const q = await call("POST", `/v1/swap/quote?slippageBps=${f.slippage.input.value}`, { tokenIn: tin, tokenOut: tout, amountIn });
      if (mine !== seq) return null;
      current = q;
      drawQuote(quoteBox, q);
      submit.disabled = !q.split || busy;
      return q;
    } catch (err) {
      if (mine !== seq) return null;
      current = null;
      submit.disabled = true;
      replace(quoteBox);
      if (!live) routeError(err, f, CODES, formError);
      return null;
    }
  };
  const later = debounce(() => quote(false), 250);
  f.amount.input.addEventListener("input", later);
  for (const s of [f.tokenIn.input, f.tokenOut.input, f.slippage.input]) {
    s.addEventListener("change", () => { relabel(); later(); });
  }

  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    status.textContent = "";
    status.className = "status";
    const q = current?.split ? current : await quote(true);
    if (!q?.split) return;
    busy = true;
    submit.disabled = true;
    try {
      const out = await command("swap", { tokenIn: q.tokenIn, tokenOut: q.tokenOut, amountIn: q.split.amountIn,
        minAmountOut: q.split.minAmountOut, split: true });
      const r = out.result;
      status.textContent = `Swapped ${fmt.amount(r.amountIn, decimals(r.tokenIn), 6)} ${r.tokenIn} for ${fmt.amount(r.amountOut, decimals(r.tokenOut), 6)} ${r.tokenOut} ` +
        `in ${r.legs.length} leg${r.legs.length > 1 ? "s" : ""} (seq ${out.seq}).`;
      status.classList.add("ok");
      f.amount.input.value = "";
      current = null;
      replace(quoteBox);
    } catch (err) {
      routeError(err, f, CODES, formError);
    } finally {
      busy = false;
      submit.disabled = !current?.split;
    }
  });
  // A live update re-quotes what is on screen, unless a swap is on its way.
  const refresh = debounce(() => { if (current && !busy) quote(false, true); }, 500);
  return { el, refresh };
}

// drawQuote shows every route with its amount out, fee and price impact
// (or why it cannot trade), then the split the swap takes, highlighted,
// with its legs and the minimum it accepts.
function drawQuote(el, q) {
  const dout = decimals(q.tokenOut);
  const din = decimals(q.tokenIn);
  const out = (a) => `${fmt.amount(a, dout, 6)} ${q.tokenOut}`;
  const th = (label, num) => h("th", { scope: "col", class: num ? "num" : "" }, label);
  const bestKey = q.best ? JSON.stringify(q.best.route) : "";
  const rows = q.routes.map((r) => h("tr", { class: r.error ? "dropped" : "", "data-kind": r.kind },
    h("td", { "data-label": "Route" }, r.words, JSON.stringify(r.route) === bestKey ? h("span", { class: "tag" }, "best single") : null),
    r.error
      ? h("td", { colspan: 3, class: "muted", "data-label": "Why not" }, `${r.error}: ${r.message}`)
      : [h("td", { class: "num", "data-label": "You get" }, out(r.amountOut)), h("td", { class: "num", "data-label": "Fee" }, fmt.ppm(r.feePpm)),
        h("td", { class: "num", "data-label": "Price impact" }, fmt.ppm(r.priceImpactPpm))]));
  const sp = q.split;
  // The engine's figures the swap will send, for whoever reads the page's
  // data (the browser test).
  el.dataset.amountOut = sp ? sp.amountOut : "";
  el.dataset.minAmountOut = sp ? sp.minAmountOut : "";
  const split = sp ? h("tr", { class: "chosen", id: "swap-split", "data-kind": "split" },
    h("td", { "data-label": "Route" }, h("strong", {}, `Split over ${sp.legs.length} route${sp.legs.length > 1 ? "s" : ""}`), " (what Swap does)",
      h("ul", { class: "legs" }, sp.legs.map((l) => h("li", {}, `${fmt.amount(l.amountIn, din, 6)} ${q.tokenIn} → ${out(l.amountOut)}: ${l.words}`)))),
    h("td", { class: "num", "data-label": "You get" }, h("strong", {}, out(sp.amountOut))),
    h("td", { class: "num", "data-label": "Fee" }, fmt.ppm(sp.feePpm)),
    h("td", { class: "num", "data-label": "Price impact" }, fmt.ppm(sp.priceImpactPpm))) : null;
  replace(el, h("table", { class: "cards", id: "swap-routes" },
    h("thead", {}, h("tr", {}, th("Route"), th("You get", 1), th("Fee", 1), th("Price impact", 1))),
    h("tbody", {}, rows, split)),
  sp ? h("p", { class: "note", id: "swap-min" }, `You receive at least ${out(sp.minAmountOut)}, or nothing happens.`)
    : h("p", { class: "error" }, "No route or split can make this trade now."));
}

// Pieces the swap pages share: a pair's name, its reserve-ratio bar, the
// tokens of the swap market and a token picker.
import { h } from "../dom.js";
import { state } from "../state.js";
import * as fmt from "../format.js";
import { field } from "../forms/form.js";

// pairName is "#0 USDC/WETH".
export const pairName = (p) => (p ? `#${p.id} ${p.token0}/${p.token1}` : "?");

// swapTokens are the tokens that some pair holds, in the market's order.
export function swapTokens() {
  const inPairs = new Set((state.market?.swap?.pairs || []).flatMap((p) => [p.token0, p.token1]));
  return state.market.assets.map((a) => a.symbol).filter((s) => inPairs.has(s));
}

// ratioBar shows a pair's reserve ratio against its maximum, with the
// warning threshold marked: the bar is full at the maximum.
export function ratioBar(p) {
  const max = fmt.ratioNumber(p.maxReserveRatio) || 1;
  const at = Math.min(100, (fmt.ratioNumber(p.reserveRatio) / max) * 100);
  const warn = Math.min(100, (fmt.ratioNumber(p.warningThreshold) / max) * 100);
  const past = BigInt(p.reserveRatio) >= BigInt(p.warningThreshold);
  const text = `${fmt.ratio(p.reserveRatio)} of max ${fmt.ratio(p.maxReserveRatio)} (warning at ${fmt.ratio(p.warningThreshold)})`;
  const fill = h("span", { class: past ? "fill warn" : "fill" });
  fill.style.width = `${at}%`;
  const mark = h("span", { class: "mark" });
  mark.style.left = `${warn}%`;
  return h("span", { class: "rr" }, h("span", { class: "rr-text" }, fmt.ratio(p.reserveRatio), past ? " ⚠" : ""),
    h("span", { class: "rr-bar", role: "img", "aria-label": text, title: text }, fill, mark));
}

// tokenSelect is a labelled select of tokens.
export function tokenSelect(id, label, tokens, selected) {
  return field({ id, label, input: h("select", {}, tokens.map((t) => h("option", { value: t, selected: t === selected }, t))) });
}

// The swap market's page: every pair with its reserve ratio against its
// threshold, the virtual pools between any two tokens, the swap form and
// the tokens the user holds. Everything follows the market stream.
import { h, replace } from "../dom.js";
import { get } from "../api.js";
import { state, subscribe, decimals } from "../state.js";
import * as fmt from "../format.js";
import { swapForm } from "../forms/swap.js";
import { ratioBar, pairName, swapTokens, tokenSelect } from "./swap_parts.js";

const PAIR_COLUMNS = [
  ["Pair", null], ["Balances", "balances"], ["Price", "price"], ["Fee", "fee"], ["LP supply", "lp"],
  ["Reserves held", "reserves"], ["Reserve ratio", "ratio"], ["Reserves allowed", "allowed"],
];

export function renderSwap(main) {
  const pairsBody = h("tbody", {});
  const vpools = h("div", { id: "vpools" });
  const side = h("div", {});
  const trade = h("div", {});
  replace(main,
    h("h1", { tabindex: "-1" }, "Swap"),
    h("div", { class: "grid2 swap-top" },
      trade,
      h("div", {},
        side,
        h("section", { class: "panel", "aria-labelledby": "vpools-h" },
          h("h2", { id: "vpools-h" }, "Virtual pools"), vpools))),
    h("section", { class: "panel", "aria-labelledby": "pairs-h" },
      h("h2", { id: "pairs-h" }, "Pairs"),
      h("table", { class: "cards", id: "pairs" },
        h("thead", {}, h("tr", {}, PAIR_COLUMNS.map(([label, key]) => h("th", { scope: "col", class: key === "price" || key === "lp" || key === "fee" ? "num" : "" }, label)))),
        pairsBody),
      h("p", { class: "note" }, "Prices are what one whole token gets at the pair's balances, before fee and price impact. " +
        "The reserve ratio is the value of the foreign tokens a pair holds against twice its token0 balance; a virtual swap must leave it at most at the pair's maximum (the bar is full there), and past the red warning mark the admin may sell a reserve.")));

  if (!state.market?.swap) {
    replace(pairsBody, h("tr", {}, h("td", { colspan: PAIR_COLUMNS.length, class: "muted" }, "The swap market has no pair yet.")));
  }
  let built = false;
  let drawVPools = null;
  let refreshSide = null;
  const unsubscribe = subscribe((market) => {
    if (!market.swap) return;
    drawPairs(pairsBody, market.swap.pairs);
    if (!built) {
      built = true;
      drawVPools = virtualPools(vpools);
      if (state.me.role === "user") {
        const holdings = h("dl", { class: "stats", id: "swap-balances" });
        const form = swapForm();
        trade.append(h("section", { class: "panel", "aria-labelledby": "swap-h" }, h("h2", { id: "swap-h" }, "Trade"), form.el));
        side.append(h("section", { class: "panel", "aria-labelledby": "hold-h" }, h("h2", { id: "hold-h" }, "Your tokens"), holdings));
        refreshSide = () => { form.refresh(); loadHoldings(holdings); };
      } else {
        trade.append(h("section", { class: "panel" }, h("h2", {}, "Trading"),
          h("p", {}, "Trading and providing liquidity take a user key: admin and arbiter keys only read here.")));
      }
    }
    drawVPools();
    if (refreshSide) refreshSide();
  });
  return unsubscribe;
}

function drawPairs(body, pairs) {
  replace(body, pairs.map((p) => {
    const d0 = decimals(p.token0);
    const d1 = decimals(p.token1);
    const reserves = Object.entries(p.reserves);
    return h("tr", { "data-pair": p.id },
      h("td", { "data-label": "Pair" }, h("a", { href: `#/swap/pair/${p.id}` }, pairName(p)), p.closed ? h("span", { class: "tag bad" }, " closed") : null),
      h("td", { "data-label": "Balances" }, `${fmt.amount(p.balance0, d0)} ${p.token0}`, h("br", {}), `${fmt.amount(p.balance1, d1)} ${p.token1}`),
      h("td", { class: "num", "data-label": "Price" }, price(p)),
      h("td", { class: "num", "data-label": "Fee" }, fmt.feeRate(p.fee), h("span", { class: "muted" }, ` · virtual ${fmt.feeRate(p.vFee)}`)),
      h("td", { class: "num", "data-label": "LP supply" }, fmt.count(p.totalSupply)),
      h("td", { "data-label": "Reserves held" }, reserves.length
        ? reserves.map(([t, v], i) => [i ? ", " : "", `${fmt.amount(v, decimals(t))} ${t}`]) : h("span", { class: "muted" }, "none")),
      h("td", { class: "ratio", "data-label": "Reserve ratio" }, ratioBar(p)),
      h("td", { "data-label": "Reserves allowed" }, p.allowList.length ? p.allowList.join(", ") : h("span", { class: "muted" }, "none")));
  }));
}

// price is a pair's price the way round that reads best: one whole token
// of the dearer side in the other (both from the engine's view).
export function price(p) {
  if (!p.price0 || !p.price1) return "—";
  const d0 = decimals(p.token0);
  const d1 = decimals(p.token1);
  return BigInt(p.price0) >= 10n ** BigInt(d1)
    ? `1 ${p.token0} = ${fmt.amount(p.price0, d1, 4)} ${p.token1}`
    : `1 ${p.token1} = ${fmt.amount(p.price1, d0, 4)} ${p.token0}`;
}

// virtualPools draws the virtual pools between two chosen tokens; it
// returns the function that reloads them.
function virtualPools(el) {
  const tokens = swapTokens();
  const inSel = tokenSelect("vp-in", "Token paid", tokens, tokens.includes("WETH") ? "WETH" : tokens[0]);
  const outSel = tokenSelect("vp-out", "Token received", tokens, tokens.includes("USDC") ? "USDC" : tokens[1]);
  const table = h("div", { id: "vp-table", "aria-live": "polite" });
  replace(el, h("div", { class: "row pick" }, inSel.wrap, outSel.wrap), table,
    h("p", { class: "note" }, "A virtual pool trades through two pairs that share a token: the active pair pays out and keeps what you pay as a reserve; " +
      "the reference pair only prices the trade. Balances are the pool's virtual ones (the smaller depth of the common token, or the block's last trade)."));
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    const tin = inSel.input.value;
    const tout = outSel.input.value;
    if (tin === tout) return replace(table, h("p", { class: "muted" }, "Pick two different tokens."));
    try {
      const v = await get(`/v1/swap/vpools?in=${encodeURIComponent(tin)}&out=${encodeURIComponent(tout)}`);
      if (mine === seq) drawVPoolTable(table, v);
    } catch (err) {
      if (mine === seq) replace(table, h("p", { class: "error" }, err.message));
    }
  };
  inSel.input.addEventListener("change", load);
  outSel.input.addEventListener("change", load);
  return load;
}

function drawVPoolTable(el, v) {
  const din = decimals(v.tokenIn);
  const dout = decimals(v.tokenOut);
  const pairs = state.market.swap.pairs;
  const per = (x) => `${fmt.amount(x, dout, 4)} ${v.tokenOut}`;
  const th = (label, num) => h("th", { scope: "col", class: num ? "num" : "" }, label);
  const native = v.native
    ? h("p", {}, `Native pair ${pairName(pairs[v.native.pair])}: 1 ${v.tokenIn} = ${per(v.native.outPerUnit)} after its ${fmt.feeRate(v.native.fee)} fee.`)
    : h("p", { class: "muted" }, `No native ${v.tokenIn}/${v.tokenOut} pair.`);
  if (!v.pools.length) return replace(el, native, h("p", { class: "muted" }, "No virtual pool trades these tokens (no pair lists the token paid as a reserve, or no pair pairs them through a third token)."));
  replace(el, native, h("table", { class: "cards", id: "vpools-table" },
    h("thead", {}, h("tr", {}, th("Via"), th("Active pair"), th("Reference pair"), th("Virtual balances", 1), th(`1 ${v.tokenIn} gets`, 1), th("Against native", 1))),
    h("tbody", {}, v.pools.map((p) => h("tr", { "data-vpool": `${p.route.jk}-${p.route.ik}` },
      h("td", { "data-label": "Via" }, p.via),
      h("td", { "data-label": "Active pair" }, h("a", { href: `#/swap/pair/${p.route.jk}` }, pairName(pairs[p.route.jk]))),
      h("td", { "data-label": "Reference pair" }, h("a", { href: `#/swap/pair/${p.route.ik}` }, pairName(pairs[p.route.ik]))),
      p.error
        ? h("td", { colspan: 3, class: "bad", "data-label": "Status" }, `${p.error}: ${p.message}`)
        : [h("td", { class: "num", "data-label": "Virtual balances" }, `${fmt.amount(p.balanceIn, din)} ${v.tokenIn}`, h("br", {}),
          `${fmt.amount(p.balanceOut, dout)} ${v.tokenOut}${p.cached ? " (this block's)" : ""}`),
        h("td", { class: "num", "data-label": `1 ${v.tokenIn} gets` }, p.outPerUnit ? per(p.outPerUnit) : "—"),
        h("td", { class: "num", "data-label": "Against native" }, p.vsNativePpm === undefined ? "—" : `${p.vsNativePpm > 0 ? "+" : ""}${fmt.ppm(p.vsNativePpm)}`)])))));
}

async function loadHoldings(el) {
  try {
    const acct = await get(`/v1/accounts/${encodeURIComponent(state.me.account)}`);
    const tokens = swapTokens();
    replace(el, tokens.map((t) => h("div", {}, h("dt", {}, t),
      h("dd", { id: `swap-bal-${t}` }, fmt.amount(acct.balances[t] || "0", decimals(t), 4)))));
  } catch (err) {
    replace(el, h("p", { class: "error" }, err.message));
  }
}

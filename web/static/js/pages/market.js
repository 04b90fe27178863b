// The market page: every pool and strategy, live, and the forms to act.
import { h, replace } from "../dom.js";
import { state, subscribe, decimals, strategyName } from "../state.js";
import * as fmt from "../format.js";
import { coverForm } from "../forms/cover.js";
import { positionForm } from "../forms/position.js";
import { claimsPanel } from "./claims.js";

const POOL_COLUMNS = [
  ["Pool", null], ["Liquidity", "liquidity"], ["Covered", "covered"], ["Utilization", "util"], ["Premium rate", "premium"],
  ["LP reward rate", "reward"], ["Net LP rate", "net"], ["Available", "available"], ["Status", "status"],
];

export function renderMarket(main) {
  const poolsBody = h("tbody", {});
  const strategiesBody = h("tbody", {});
  const side = h("div", {});
  replace(main,
    h("h1", { tabindex: "-1" }, "Market"),
    h("div", { class: "layout" },
      h("div", {},
        h("section", { class: "panel", "aria-labelledby": "pools-h" },
          h("h2", { id: "pools-h" }, "Pools"),
          h("table", { class: "cards", id: "pools" },
            h("thead", {}, h("tr", {}, POOL_COLUMNS.map(([label, key]) => h("th", { scope: "col", class: key && key !== "status" ? "num" : "" }, label)))),
            poolsBody),
          h("p", { class: "note" }, "Rates are yearly. The LP reward rate is utilization × premium rate; the net LP rate is what an LP in this pool alone keeps after the pool fee.")),
        h("section", { class: "panel", "aria-labelledby": "strategies-h" },
          h("h2", { id: "strategies-h" }, "Strategies"),
          h("table", { class: "cards", id: "strategies" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Strategy"), h("th", { scope: "col" }, "Asset"),
              h("th", { scope: "col", class: "num" }, "Yield"), h("th", { scope: "col", class: "num" }, "Performance fee"),
              h("th", { scope: "col" }, "Rewards"))),
            strategiesBody))),
      h("aside", { "aria-label": "Act" }, side)));

  const rows = new Map();
  let built = false;
  const unsubscribe = subscribe((market) => {
    updatePools(poolsBody, rows, market);
    replace(strategiesBody, market.strategies.map((st) => h("tr", {},
      h("td", { "data-label": "Strategy" }, strategyName(st.id)), h("td", { "data-label": "Asset" }, st.asset),
      h("td", { class: "num", "data-label": "Yield" }, fmt.pct(st.rate)), h("td", { class: "num", "data-label": "Performance fee" }, fmt.pct(st.feeRate, 1)),
      h("td", { "data-label": "Rewards" }, st.compounds ? "compound" : "paid out"))));
    if (!built) {
      built = true;
      buildSide(side);
      if (!performance.getEntriesByName("vpool:market-shown").length) performance.mark("vpool:market-shown");
    }
  });
  return unsubscribe;
}

function buildSide(side) {
  const role = state.me.role;
  if (role === "user") {
    side.append(
      h("section", { class: "panel", "aria-labelledby": "buy-h" }, h("h2", { id: "buy-h" }, "Buy cover"), coverForm()),
      h("section", { class: "panel", "aria-labelledby": "lp-h" }, h("h2", { id: "lp-h" }, "Provide liquidity"), positionForm()));
  } else if (role === "arbiter") {
    side.append(claimsPanel());
  } else {
    side.append(h("section", { class: "panel" }, h("h2", {}, "Acting"),
      h("p", {}, "Admin keys manage the market through the API (pools, compatibility, strategy indexes); they do not buy cover or provide liquidity. Use a user key for that.")));
  }
}

// updatePools updates the pools table in place, flashing changed cells,
// so that focus and scroll stay where they are.
function updatePools(body, rows, market) {
  for (const p of market.pools) {
    const d = decimals(p.paymentAsset);
    const cells = {
      liquidity: fmt.amount(p.totalLiquidity, d, 0), covered: fmt.amount(p.coveredCapital, d, 0), util: fmt.pct(p.utilization),
      premium: fmt.pct(p.premiumRate), reward: fmt.pct(p.rewardRate), net: fmt.pct(p.netLpRate),
      available: fmt.amount(p.availableLiquidity, d, 0),
      status: p.paused ? "paused" : p.ongoingClaims ? `${p.ongoingClaims} claim${p.ongoingClaims > 1 ? "s" : ""} open` : "open",
    };
    let row = rows.get(p.id);
    if (!row) {
      const tds = {};
      const tr = h("tr", { "data-pool": p.id },
        h("td", { "data-label": "Pool" }, h("a", { href: `#/pool/${p.id}` }, `Pool ${p.id}`), " ", h("span", { class: "muted" }, p.paymentAsset)),
        POOL_COLUMNS.slice(1).map(([label, key]) => (tds[key] = h("td", { class: key === "status" ? key : `num ${key}`, "data-label": label }))));
      const bar = h("span", {});
      tds.util.after = h("span", { class: "bar", "aria-hidden": "true" }, bar);
      row = { tr, tds, bar, last: {} };
      rows.set(p.id, row);
      body.append(tr);
    }
    for (const [key, text] of Object.entries(cells)) {
      if (row.last[key] === text) continue;
      const td = row.tds[key];
      replace(td, text, key === "util" ? td.after : null);
      if (row.last[key] !== undefined) {
        td.classList.remove("flash");
        void td.offsetWidth; // restart the animation
        td.classList.add("flash");
      }
      row.last[key] = text;
    }
    row.bar.style.width = `${Math.min(100, fmt.rayToNumber(p.utilization))}%`;
    row.tds.status.classList.toggle("bad", Boolean(p.paused));
  }
}

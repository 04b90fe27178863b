// The account page: a user's balances, covers and positions, each with
// what can be done to it; staff keys see the open claims instead.
import { h, replace } from "../dom.js";
import { get } from "../api.js";
import { state, subscribe, poolAsset } from "../state.js";
import * as fmt from "../format.js";
import { claimsPanel } from "./claims.js";
import { coverActions, positionActions } from "../forms/actions.js";

export function renderAccount(main) {
  if (state.me.role !== "user") {
    replace(main, h("h1", { tabindex: "-1" }, "Claims"), claimsPanel());
    return null;
  }
  const body = h("div", {});
  const status = h("p", { class: "status ok", id: "account-status", role: "status" });
  replace(main, h("h1", { tabindex: "-1" }, `Account ${state.me.account}`), status, body);
  let shownSeq = -1;
  const load = async (force) => {
    try {
      const acct = await get(`/v1/accounts/${encodeURIComponent(state.me.account)}`);
      // A live update leaves the page alone while the person works in it.
      if (!force && (body.contains(document.activeElement) || body.querySelector("details[open]"))) return;
      drawAccount(body, acct, (message) => {
        status.textContent = message;
        load(true);
      });
    } catch (err) {
      replace(body, h("p", { class: "error" }, err.message));
    }
  };
  return subscribe((m) => {
    if (m.seq !== shownSeq) {
      const first = shownSeq < 0;
      shownSeq = m.seq;
      load(first);
    }
  });
}

function drawAccount(body, acct, reload) {
  const balances = Object.entries(acct.balances);
  const th = (label, num) => h("th", { scope: "col", class: num ? "num" : "" }, label);
  replace(body,
    h("section", { class: "panel", "aria-labelledby": "bal-h" }, h("h2", { id: "bal-h" }, "Balances"),
      balances.length ? h("dl", { class: "stats" }, balances.map(([sym, v]) => h("div", {}, h("dt", {}, sym),
        h("dd", {}, fmt.amount(v, state.market.assets.find((a) => a.symbol === sym)?.decimals ?? 0)))))
        : h("p", { class: "muted" }, "Nothing held.")),
    h("section", { class: "panel", "aria-labelledby": "covers-h" }, h("h2", { id: "covers-h" }, "Covers"),
      acct.covers.length ? h("table", { class: "cards", id: "my-covers" },
        h("thead", {}, h("tr", {}, th("Cover"), th("Pool"), th("Amount", 1), th("Premiums left", 1), th("Daily cost", 1), th("State"), th("Act"))),
        h("tbody", {}, acct.covers.map((c) => {
          const { symbol, decimals } = poolAsset(c.pool);
          return h("tr", { "data-cover": c.id },
            h("td", { "data-label": "Cover" }, `#${c.id}`), h("td", { "data-label": "Pool" }, h("a", { href: `#/pool/${c.pool}` }, `Pool ${c.pool}`)),
            h("td", { class: "num", "data-label": "Amount" }, `${fmt.amount(c.coverAmount, decimals)} ${symbol}`),
            h("td", { class: "num", "data-label": "Premiums left" }, `${fmt.amount(c.premiumsLeft, decimals)} ${symbol}`),
            h("td", { class: "num", "data-label": "Daily cost" }, `${fmt.amount(c.dailyCost, decimals, 4)} ${symbol}`),
            h("td", { "data-label": "State" }, c.active ? "active" : "ended"),
            h("td", { "data-label": "Act" }, coverActions(c, reload)));
        }))) : h("p", { class: "muted" }, "No cover yet: buy one on the market page.")),
    h("section", { class: "panel", "aria-labelledby": "positions-h" }, h("h2", { id: "positions-h" }, "Positions"),
      acct.positions.length ? h("table", { class: "cards", id: "my-positions" },
        h("thead", {}, h("tr", {}, th("Position"), th("Pools"), th("Supplied", 1), th("Capital", 1), th("Rewards", 1), th("APY", 1), th("Act"))),
        h("tbody", {}, acct.positions.map((p) => {
          const { symbol, decimals } = poolAsset(p.pools[0]);
          const rewards = p.coverRewards.map((r) => fmt.amount(r, decimals)).join(" + ");
          return h("tr", { "data-position": p.id },
            h("td", { "data-label": "Position" }, `#${p.id}`, p.commitTimestamp ? h("span", { class: "tag" }, " withdrawal committed") : null),
            h("td", { "data-label": "Pools" }, p.pools.map((id, i) => [i ? ", " : "", h("a", { href: `#/pool/${id}` }, `Pool ${id}`)])),
            h("td", { class: "num", "data-label": "Supplied" }, `${fmt.amount(p.supplied, decimals)} ${symbol}`),
            h("td", { class: "num", "data-label": "Capital" }, `${fmt.amount(p.capital, decimals)} ${symbol}`),
            h("td", { class: "num", "data-label": "Rewards" }, `${rewards} + ${fmt.amount(p.strategyRewards, decimals)} ${symbol}`),
            h("td", { class: "num", "data-label": "APY" }, fmt.pct(p.apy)),
            h("td", { "data-label": "Act" }, positionActions(p, reload)));
        }))) : h("p", { class: "muted" }, "No position yet: provide liquidity on the market page.")));
}

// Claims for staff keys: the open ones, which an arbiter accepts or rejects.
import { h, replace } from "../dom.js";
import { get, command } from "../api.js";
import { state, poolAsset, subscribe } from "../state.js";
import * as fmt from "../format.js";

// claimsPanel lists open claims and refreshes after market updates.
export function claimsPanel() {
  const body = h("div", {});
  const status = h("p", { class: "status", role: "status", id: "claims-status" });
  const panel = h("section", { class: "panel", "aria-labelledby": "claims-h" },
    h("h2", { id: "claims-h" }, "Open claims"), body, status);
  let shownSeq = -1;
  // load lists the open claims; a live update leaves the list alone while
  // one of its buttons has the focus.
  const load = async (force) => {
    try {
      const { claims } = await get("/v1/claims?status=open");
      if (!force && body.contains(document.activeElement)) return;
      replace(body, claims.length ? claimsTable(claims, resolve) : h("p", { class: "muted" }, "No claim is waiting."));
    } catch (err) {
      replace(body, h("p", { class: "error" }, err.message));
    }
  };
  async function resolve(claim, accept) {
    status.className = "status";
    try {
      const out = await command("resolveClaim", { claim: claim.id, accept });
      status.textContent = `Claim #${claim.id} ${accept ? "accepted" : "rejected"} (seq ${out.seq}).`;
      status.classList.add("ok");
    } catch (err) {
      status.textContent = `Claim #${claim.id}: ${err.message}`;
      status.classList.add("bad");
    }
    await load(true);
    panel.querySelector("button")?.focus();
  }
  const unsubscribe = subscribe((m) => {
    if (!panel.isConnected && shownSeq >= 0) return unsubscribe();
    if (m.seq !== shownSeq) {
      shownSeq = m.seq;
      load();
    }
  });
  return panel;
}

function claimsTable(claims, resolve) {
  const arbiter = state.me.role === "arbiter";
  return h("table", { class: "cards" },
    h("thead", {}, h("tr", {}, ["Claim", "Cover", "Pool", "Owner", "Amount"].map((c) => h("th", { scope: "col" }, c)),
      arbiter ? h("th", { scope: "col" }, "Decision") : null)),
    h("tbody", {}, claims.map((c) => {
      const { symbol, decimals } = poolAsset(c.pool);
      return h("tr", {},
        h("td", { "data-label": "Claim" }, `#${c.id}`), h("td", { "data-label": "Cover" }, `#${c.cover}`),
        h("td", { "data-label": "Pool" }, h("a", { href: `#/pool/${c.pool}` }, `Pool ${c.pool}`)),
        h("td", { "data-label": "Owner" }, c.owner), h("td", { "data-label": "Amount" }, `${fmt.amount(c.amount, decimals)} ${symbol}`),
        arbiter ? h("td", { "data-label": "Decision" }, h("div", { class: "row" },
          h("button", { type: "button", onclick: () => resolve(c, true), "aria-label": `Accept claim ${c.id}` }, "Accept"),
          h("button", { type: "button", class: "secondary", onclick: () => resolve(c, false), "aria-label": `Reject claim ${c.id}` }, "Reject"))) : null);
    })));
}

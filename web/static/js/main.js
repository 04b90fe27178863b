// The dashboard: a key, a hash router over its pages (the cover market,
// a pool, the account, the swap market and a pair), and the market stream
// that keeps them live.
import { h, replace, byId } from "./dom.js";
import { getKey, setKey, clearKey } from "./session.js";
import { call } from "./api.js";
import { followMarket } from "./stream.js";
import { state, publish } from "./state.js";
import { renderConnect } from "./pages/connect.js";
import { renderMarket } from "./pages/market.js";
import { renderPool } from "./pages/pool.js";
import { renderAccount } from "./pages/account.js";
import { renderSwap } from "./pages/swap.js";
import { renderPair } from "./pages/pair.js";

const main = byId("main");
let stopStream = null;
let cleanup = null;
let firstRoute = true;

// route renders the page the hash names.
function route() {
  if (cleanup) cleanup();
  cleanup = null;
  const hash = location.hash || "#/";
  let page = "market";
  if (!state.me) {
    page = "connect";
    cleanup = renderConnect(main, connect);
  } else if (hash === "#/account") {
    page = "account";
    cleanup = renderAccount(main);
  } else if (hash === "#/swap") {
    page = "swap";
    cleanup = renderSwap(main);
  } else if (/^#\/swap\/pair\/\d+$/.test(hash)) {
    page = "swap";
    cleanup = renderPair(main, Number(hash.split("/")[3]));
  } else if (/^#\/pool\/\d+$/.test(hash)) {
    page = "pool";
    cleanup = renderPool(main, Number(hash.split("/")[2]));
  } else {
    cleanup = renderMarket(main);
  }
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === page) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  // Signed out there is no account to show; staff keys see the claims.
  const nav = document.querySelector('[data-nav="account"]');
  nav.parentElement.hidden = !state.me;
  nav.textContent = state.me?.role === "user" ? "My account" : "Claims";
  if (!firstRoute) (main.querySelector("h1") || main).focus();
  firstRoute = false;
}

// connect checks a key with /v1/whoami, keeps it for this tab and starts.
async function connect(key) {
  const me = await call("GET", "/v1/whoami", undefined, key);
  setKey(key);
  start(me);
}

function start(me) {
  state.me = me;
  renderSession();
  const live = byId("live");
  stopStream = followMarket(
    (market) => {
      publish(market);
      replace(byId("live-seq"), ` · seq ${market.seq} · as of ${new Date(market.at * 1000).toLocaleTimeString()}`);
    },
    (status, message) => {
      live.classList.toggle("on", status === "live");
      replace(byId("live-state"), { live: "Live", reconnecting: "Reconnecting…", stopped: `Stopped: ${message}` }[status]);
    },
  );
  route();
}

function signOut() {
  clearKey();
  if (stopStream) stopStream();
  state.me = null;
  state.market = null;
  renderSession();
  route();
}

function renderSession() {
  const el = byId("session");
  const live = byId("live");
  if (!state.me) {
    replace(el);
    replace(live);
    return;
  }
  const who = state.me.account ? `${state.me.role} · ${state.me.account}` : state.me.role;
  replace(el, h("span", { id: "whoami" }, who), h("button", { type: "button", class: "secondary", onclick: signOut }, "Sign out"));
  replace(live, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { id: "live-state", role: "status" }, "Connecting…"),
    h("span", { id: "live-seq" }));
}

document.querySelector(".skip").addEventListener("click", (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener("hashchange", () => (keyLink.test(location.hash) ? open() : route()));

// keyLink is a fragment that carries a key: #key=… (as serve --demo prints
// one), or a page and a key, #/pool/2?key=….
const keyLink = /^#(\/[^?&]*)?[?&]?key=([A-Za-z0-9_]+)$/;

// keyFromLink takes the key a link carries in its fragment and drops it
// from the address bar and history, keeping the page it names.
function keyFromLink() {
  const m = keyLink.exec(location.hash);
  if (!m) return "";
  history.replaceState(null, "", location.pathname + location.search + "#" + (m[1] || "/"));
  return m[2];
}

// open signs in with the key of a link, or else the one this tab kept,
// and shows the page.
async function open() {
  const linked = keyFromLink();
  const key = linked || getKey();
  if (key) {
    try {
      const me = await call("GET", "/v1/whoami", undefined, key);
      if (state.me && stopStream) stopStream();
      setKey(key);
      start(me);
      return;
    } catch {
      if (!linked) clearKey();
    }
  }
  route();
}

open();

// Element builders. Text always goes in as text nodes, never as HTML, so
// whatever the API returns is shown, not interpreted.

const SVG_NS = "http://www.w3.org/2000/svg";

// set applies attributes to an element: "on…" functions become listeners,
// false/null/undefined are skipped, "class" and others become attributes.
function set(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on") && typeof v === "function") {
      el.addEventListener(k.slice(2), v);
    } else if (k === "value") {
      el.value = v;
    } else if (k === "checked") {
      el.checked = Boolean(v);
    } else {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// h builds an HTML element: h("td", {class: "num"}, "1.5%").
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  set(el, attrs);
  return append(el, children);
}

// s builds an SVG element.
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  set(el, attrs);
  return append(el, children);
}

// replace empties el and puts children in it.
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// byId is document.getElementById.
export const byId = (id) => document.getElementById(id);

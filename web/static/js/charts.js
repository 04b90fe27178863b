// Charts drawn as plain SVG: lines, step lines, bars and a graph. Each has
// a title and a description for screen readers; the numbers they draw
// come formatted from the API's views.
import { s } from "./dom.js";

// Charts are drawn at about their size on screen, so that their text
// stays readable on a phone: narrower there, the same height.
const narrow = () => window.matchMedia("(max-width: 600px)").matches;
let W = 600;
const H = 250;
const M = { l: 52, r: 16, t: 14, b: 34 };
let ids = 0;

// niceTicks are about n round values covering [min, max].
function niceTicks(min, max, n = 5) {
  const span = max - min || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f >= 7.5 ? 10 : f >= 3.5 ? 5 : f >= 1.5 ? 2 : 1) * mag;
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

// evenTicks are n+1 evenly spaced values from min to max.
const evenTicks = (min, max, n = 4) => Array.from({ length: n + 1 }, (_, i) => min + ((max - min) * i) / n);

function frame(title, desc) {
  W = narrow() ? 380 : 600;
  const id = `chart${++ids}`;
  return s("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-t ${id}-d` },
    s("title", { id: `${id}-t` }, title), s("desc", { id: `${id}-d` }, desc));
}

// plot draws series of [x, y] points on axes. opts: title, desc, x: {min,
// max, fmt, time}, y: {min, max, fmt}, series: [{points, cls, step,
// area}], bars: {points, cls, width}, marker: {x, y, label}.
export function plot(opts) {
  const svg = frame(opts.title, opts.desc);
  const { x, y } = opts;
  const sx = (v) => M.l + ((v - x.min) / (x.max - x.min || 1)) * (W - M.l - M.r);
  const sy = (v) => H - M.b - ((v - y.min) / (y.max - y.min || 1)) * (H - M.t - M.b);
  for (const t of niceTicks(y.min, y.max, 4)) {
    svg.append(s("line", { class: "grid", x1: M.l, x2: W - M.r, y1: sy(t), y2: sy(t) }),
      s("text", { x: M.l - 6, y: sy(t) + 4, "text-anchor": "end" }, y.fmt(t)));
  }
  const xs = x.time ? evenTicks(x.min, x.max, W < 500 ? 2 : 3) : niceTicks(x.min, x.max, 5);
  xs.forEach((t, i) => {
    // Time labels are wide: the last one ends at the axis' end.
    const anchor = x.time && i === xs.length - 1 ? "end" : "middle";
    svg.append(s("text", { x: sx(t), y: H - M.b + 16, "text-anchor": anchor }, x.fmt(t)));
  });
  svg.append(s("line", { class: "axis", x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b }),
    s("line", { class: "axis", x1: M.l, x2: M.l, y1: M.t, y2: H - M.b }));
  if (opts.bars) {
    const w = opts.bars.width || 6;
    for (const [bx, by] of opts.bars.points) {
      svg.append(s("rect", { class: opts.bars.cls, x: sx(bx) - w / 2, y: sy(by), width: w, height: Math.max(1, sy(y.min) - sy(by)) }));
    }
  }
  for (const ser of opts.series || []) {
    if (!ser.points.length) continue;
    const pts = [];
    ser.points.forEach(([px, py], i) => {
      if (ser.step && i > 0) pts.push([sx(px), sy(ser.points[i - 1][1])]);
      pts.push([sx(px), sy(py)]);
    });
    const d = pts.map(([a, b], i) => `${i ? "L" : "M"}${a.toFixed(1)},${b.toFixed(1)}`).join("");
    if (ser.area) {
      svg.append(s("path", { class: "area1", d: `${d}L${pts.at(-1)[0].toFixed(1)},${sy(y.min)}L${pts[0][0].toFixed(1)},${sy(y.min)}Z` }));
    }
    svg.append(s("path", { class: ser.cls, d }));
  }
  if (opts.marker) {
    const { x: mx, y: my, label } = opts.marker;
    const left = sx(mx) > W / 2;
    svg.append(s("circle", { class: "dot", cx: sx(mx), cy: sy(my), r: 6 }),
      s("text", { class: "label", x: sx(mx) + (left ? -10 : 10), y: sy(my) - 10, "text-anchor": left ? "end" : "start" }, label));
  }
  return svg;
}

// graph draws pool `self` in the middle and its neighbours around it,
// edges as wide as the liquidity they share. nodes: [{id, label, href}],
// edges: [{a, b, weight, label}].
export function graph({ title, desc, self, nodes, edges }) {
  const svg = frame(title, desc);
  const others = nodes.filter((n) => n.id !== self);
  // Neighbours on an arc to the left, at most 60° apart, so that an edge
  // between two of them does not run through the pool in the middle.
  const step = Math.min((2 * Math.PI) / Math.max(others.length, 1), Math.PI / 3);
  const cx = others.length * step < 2 * Math.PI ? W * 0.6 : W / 2;
  const cy = H / 2;
  const pos = new Map([[self, [cx, cy]]]);
  others.forEach((n, i) => {
    const a = Math.PI + (i - (others.length - 1) / 2) * step;
    pos.set(n.id, [cx + Math.cos(a) * Math.min(W / 2 - 40, 200), cy + Math.sin(a) * (H / 2 - 34)]);
  });
  const max = Math.max(...edges.map((e) => e.weight), 1);
  for (const e of edges) {
    const [x1, y1] = pos.get(e.a);
    const [x2, y2] = pos.get(e.b);
    svg.append(s("line", { class: "edge", x1, y1, x2, y2, "stroke-width": 2 + 12 * Math.sqrt(e.weight / max) }));
  }
  for (const e of edges) {
    const [x1, y1] = pos.get(e.a);
    const [x2, y2] = pos.get(e.b);
    svg.append(s("text", { class: "label", x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, "text-anchor": "middle" }, e.label));
  }
  for (const n of nodes) {
    const [x, y] = pos.get(n.id);
    const me = n.id === self;
    const g = [s("circle", { class: me ? "node self" : "node", cx: x, cy: y, r: 24 }),
      s("text", { class: me ? "node-text self" : "node-text", x, y: y + 4, "text-anchor": "middle" }, n.label)];
    svg.append(me ? s("g", {}, g) : s("a", { href: n.href, "aria-label": `Open ${n.label}` }, g));
  }
  return svg;
}

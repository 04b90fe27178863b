// Formatting of the API's numbers for display. Amounts are exact decimal
// strings of base units and rates ray-percent strings (10^27 is 1%); they
// are only formatted here, never computed with.

const RAY = 10n ** 27n;

// pct formats a ray-percent string: "5842068837341228255512726376" → "5.84%".
export function pct(ray, digits = 2) {
  return `${rayToNumber(ray).toFixed(digits)}%`;
}

// rayToNumber is a ray-percent string as a float percent, for drawing.
export function rayToNumber(ray) {
  const v = BigInt(ray || "0");
  return Number(v / 10n ** 21n) / 1e6;
}

// amount formats base units with the asset's decimals: "1234567890", 6 →
// "1,234.57" (rounded half up, at most `digits` decimals shown).
export function amount(base, decimals, digits = 2) {
  let v = BigInt(base || "0");
  const shown = Math.min(digits, decimals);
  const drop = 10n ** BigInt(decimals - shown);
  v = (v + drop / 2n) / drop;
  const unit = 10n ** BigInt(shown);
  const whole = (v / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (shown === 0) return whole;
  return `${whole}.${(v % unit).toString().padStart(shown, "0")}`;
}

// amountNumber is base units as a float of whole tokens, for drawing.
export function amountNumber(base, decimals) {
  const v = BigInt(base || "0");
  const unit = 10n ** BigInt(decimals);
  return Number(v / unit) + Number(v % unit) / Number(unit);
}

// parseAmount turns what a person typed ("1,000.5") into base units with
// the asset's decimals, exactly. It throws an Error with a message meant
// for the field.
export function parseAmount(text, decimals) {
  const t = String(text).trim().replace(/[,_\s]/g, "");
  if (t === "") throw new Error("Enter an amount.");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === "" && !m[2])) throw new Error("Enter a number, like 1000 or 250.5.");
  const frac = m[2] || "";
  if (frac.length > decimals) throw new Error(`At most ${decimals} decimals.`);
  const base = BigInt(m[1] || "0") * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
  return base.toString();
}

// ppm formats parts per million as a percent: 3000 → "0.30%", -1086 →
// "−0.11%" (rounded toward zero, at most `digits` decimals).
export function ppm(v, digits = 2) {
  const n = BigInt(v ?? 0);
  const neg = n < 0n;
  const a = neg ? -n : n;
  const unit = 10n ** BigInt(4 - digits); // ppm per shown unit
  const shown = a / unit;
  const scale = 10n ** BigInt(digits);
  const text = `${shown / scale}${digits ? "." + (shown % scale).toString().padStart(digits, "0") : ""}%`;
  return neg && shown > 0n ? `−${text}` : text;
}

// feeRate formats a pair's fee, given as parts per 1000 kept: 997 →
// "0.30%".
export const feeRate = (kept) => ppm((1000 - Number(kept)) * 1000);

// ratio formats a reserve ratio in 10^-5 units: "1543" → "1.54%".
export function ratio(v, digits = 2) {
  return ppm(BigInt(v || "0") * 10n, digits);
}

// ratioNumber is a reserve ratio as a float percent, for drawing.
export const ratioNumber = (v) => Number(v || "0") / 1000;

// count formats a large whole number (LP shares) with three significant
// digits, rounded down: "27386127875258305" → "2.73 × 10^16"; below a
// million, in full.
export function count(v) {
  const s = BigInt(v || "0").toString();
  if (s.length <= 6) return amount(s, 0);
  return `${s[0]}.${s.slice(1, 3)} × 10^${s.length - 1}`;
}

// seconds formats a duration: 90061 → "1 d 1 h".
export function duration(sec) {
  const s = Number(sec);
  if (s >= 86400) return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

// axisTime labels a time axis from min to max (unix seconds): dates when
// it spans more than two days, with the year when they are not all in one
// year; times of day otherwise.
export function axisTime(min, max) {
  const span = max - min;
  const year = (t) => new Date(t * 1000).getFullYear();
  if (span > 2 * 86400) {
    const opts = year(min) === year(max) ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" };
    return (t) => new Date(t * 1000).toLocaleDateString([], opts);
  }
  const opts = span > 3600 ? { hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit", second: "2-digit" };
  return (t) => new Date(t * 1000).toLocaleTimeString([], opts);
}

// time formats unix seconds as local date and time.
export function time(unix) {
  return new Date(Number(unix) * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

export { RAY };

// What a user can do to a cover or a position, as small forms in a
// disclosure per row. Each shows the engine's error next to its field.
import { h } from "../dom.js";
import { command } from "../api.js";
import { poolAsset } from "../state.js";
import * as fmt from "../format.js";
import { field, amountInput, showError } from "./form.js";

// amountAction is a one-field form that submits op with the field's
// amount as arg; extra args are added. done(message) is told of success.
function amountAction({ id, label, button, op, args, arg, decimals, done }) {
  const f = field({ id, label, input: amountInput() });
  const form = h("form", { novalidate: true, "aria-label": button }, f.wrap, h("div", { class: "row" }, h("button", { type: "submit" }, button)));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    showError(f, "");
    let value;
    try {
      value = fmt.parseAmount(f.input.value, decimals);
    } catch (err) {
      return showError(f, err.message);
    }
    try {
      const out = await command(op, { ...args, [arg]: value });
      done(`${button}: done${out.result ? ` (${resultText(out.result)})` : ""}.`);
    } catch (err) {
      showError(f, err.message);
      f.input.focus();
    }
  });
  return form;
}

// resultText is an op's result for people: {claim: 3} → "claim #3".
const resultText = (result) => Object.entries(result).map(([k, v]) => `${k} #${v}`).join(", ");

// buttonAction is a button that submits op with args.
function buttonAction({ label, op, args, done, secondary }) {
  const error = h("p", { class: "error", role: "alert" });
  const b = h("button", { type: "button", class: secondary ? "secondary" : "" }, label);
  b.addEventListener("click", async () => {
    error.textContent = "";
    b.disabled = true;
    try {
      const out = await command(op, args);
      done(`${label}: done${out.result ? ` (${resultText(out.result)})` : ""}.`);
    } catch (err) {
      error.textContent = err.message;
    } finally {
      b.disabled = false;
    }
  });
  return h("div", {}, b, error);
}

export function coverActions(c, done) {
  const { symbol, decimals } = poolAsset(c.pool);
  const id = `cover-${c.id}`;
  return h("details", { class: "act" }, h("summary", {}, `Manage cover #${c.id}`),
    amountAction({ id: `${id}-topup`, label: `Add premiums (${symbol})`, button: "Top up", op: "updateCover",
      args: { cover: c.id }, arg: "premiumsToAdd", decimals, done }),
    amountAction({ id: `${id}-claim`, label: `Claim amount (${symbol})`, button: "Open a claim", op: "openClaim",
      args: { cover: c.id }, arg: "amount", decimals, done }),
    buttonAction({ label: "Close the cover (refund the premiums left)", op: "updateCover",
      args: { cover: c.id, premiumsToRemove: "max" }, done, secondary: true }));
}

export function positionActions(p, done) {
  const { symbol, decimals } = poolAsset(p.pools[0]);
  const id = `position-${p.id}`;
  const committed = p.commitTimestamp > 0;
  return h("details", { class: "act" }, h("summary", {}, `Manage position #${p.id}`),
    amountAction({ id: `${id}-add`, label: `Add liquidity (${symbol})`, button: "Add", op: "addLiquidity",
      args: { position: p.id }, arg: "amount", decimals, done }),
    buttonAction({ label: "Take interests", op: "takeInterests", args: { position: p.id }, done }),
    committed
      ? buttonAction({ label: "Cancel the withdrawal", op: "uncommitRemoveLiquidity", args: { position: p.id }, done, secondary: true })
      : buttonAction({ label: "Commit to withdraw", op: "commitRemoveLiquidity", args: { position: p.id }, done, secondary: true }),
    amountAction({ id: `${id}-withdraw`, label: `Withdraw (${symbol}), after the delay`, button: "Withdraw", op: "removeLiquidity",
      args: { position: p.id }, arg: "amount", decimals, done }));
}

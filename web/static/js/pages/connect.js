// The key form, shown until a key is accepted.
import { h, replace } from "../dom.js";
import { field, showError } from "../forms/form.js";

// renderConnect shows the form; connect(key) resolves once the key is
// accepted or throws the API's error.
export function renderConnect(main, connect) {
  const key = field({ id: "key", label: "API key", input: h("input", { type: "password", autocomplete: "off", spellcheck: "false" }),
    hint: ["Made with ", h("code", {}, "vpool keys create"), "; ", h("code", {}, "vpool serve --demo"),
      " prints three. Kept in this tab only, until you sign out or close it."] });
  const button = h("button", { type: "submit", id: "key-submit" }, "Connect");
  const form = h("form", { class: "panel", novalidate: true }, key.wrap, h("div", { class: "row" }, button));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = key.input.value.trim();
    if (!value) return showError(key, "Enter a key.");
    button.disabled = true;
    try {
      await connect(value);
    } catch (err) {
      showError(key, err.message);
      key.input.focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(main, h("h1", { tabindex: "-1" }, "Connect to the market"),
    h("p", {}, "Every view of the market needs an API key: enter yours to see pools live, buy cover and provide liquidity."), form);
  key.input.focus();
  return null;
}

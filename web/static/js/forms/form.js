// Form fields with their label, hint and error, and the routing of an
// engine error to the field it is about.
import { h } from "../dom.js";

// field builds a labelled input: {wrap, input, error}.
export function field({ id, label, input, hint }) {
  const error = h("p", { id: `${id}-error`, class: "error" });
  const hintEl = hint ? h("p", { id: `${id}-hint`, class: "hint" }, hint) : null;
  input.id = id;
  input.setAttribute("aria-describedby", [hintEl ? `${id}-hint` : "", `${id}-error`].join(" ").trim());
  const labelEl = h("label", { for: id }, label);
  return { wrap: h("div", { class: "field" }, labelEl, input, hintEl, error), input, error, label: labelEl };
}

// amountInput is a text input for a decimal amount.
export const amountInput = (attrs = {}) => h("input", { type: "text", inputmode: "decimal", autocomplete: "off", ...attrs });

// showError puts msg next to the field (empty clears it).
export function showError(f, msg) {
  f.error.textContent = msg || "";
  (f.fieldset || f.input).setAttribute("aria-invalid", msg ? "true" : "false");
}

// clearErrors clears every field's error and the form's own.
export function clearErrors(fields, formError) {
  for (const f of Object.values(fields)) showError(f, "");
  if (formError) formError.textContent = "";
}

// routeError shows an API or engine error next to the field its code is
// about (codes: name of a field in fields), else as the form's error.
export function routeError(err, fields, codes, formError) {
  const f = fields[codes[err.code]];
  if (f) showError(f, err.message);
  else formError.textContent = err.message;
}

// debounce delays fn until calls stop for ms.
export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

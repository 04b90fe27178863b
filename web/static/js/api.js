// The HTTP API, with the session's key as a bearer token.
import { getKey } from "./session.js";

// ApiError is a refused request: the HTTP status and the API's
// {error, message}, or an engine failure of a command (status 200).
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

// headers are the request headers, with the key when there is one.
export function headers(extra = {}) {
  const out = { ...extra };
  const key = getKey();
  if (key) out.Authorization = `Bearer ${key}`;
  return out;
}

// call sends a request and returns the decoded JSON answer, or throws an
// ApiError. key, when given, is used instead of the session's.
export async function call(method, path, body, key) {
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
  if (key) init.headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) init.body = JSON.stringify(body);
  let resp;
  try {
    resp = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "network", `The server cannot be reached (${e.message}).`);
  }
  const data = await resp.json().catch(() => null);
  if (!resp.ok) {
    throw new ApiError(resp.status, data?.error || "http_" + resp.status, data?.message || resp.statusText);
  }
  return data;
}

export const get = (path) => call("GET", path);

// command submits one command and returns its result, or throws an
// ApiError carrying the engine's code and message when it failed.
export async function command(op, args) {
  const out = await call("POST", "/v1/commands", { op, args });
  if (!out.ok) throw new ApiError(200, out.error, out.message);
  return out;
}

// The API key lives in this tab's session storage only: it is read from
// there for the Authorization header and nowhere else.

const KEY = "vpool.apiKey";

export function getKey() {
  return sessionStorage.getItem(KEY) || "";
}

export function setKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
}

// What the pages share: who the key belongs to and the latest market, with
// subscribers told of every market update.

export const state = { me: null, market: null };

const subscribers = new Set();

// subscribe calls fn with the current market (if any) and every later one;
// it returns the function that unsubscribes.
export function subscribe(fn) {
  subscribers.add(fn);
  if (state.market) fn(state.market);
  return () => subscribers.delete(fn);
}

export function publish(market) {
  state.market = market;
  for (const fn of subscribers) fn(market);
}

// decimals is an asset's decimals (0 when unknown).
export function decimals(symbol) {
  return state.market?.assets.find((a) => a.symbol === symbol)?.decimals ?? 0;
}

// strategyName is what to call a strategy: its name (addStrategy's
// optional one), else its id.
export function strategyName(id) {
  const name = state.market?.strategies[id]?.name;
  return name ? `${name} (#${id})` : `#${id}`;
}

// poolAsset is the payment asset of a pool and its decimals.
export function poolAsset(id) {
  const p = state.market?.pools[id];
  return p ? { symbol: p.paymentAsset, decimals: decimals(p.paymentAsset) } : { symbol: "", decimals: 0 };
}

// The market stream (GET /v1/market/stream) read with fetch, since
// EventSource cannot send the Authorization header. It reconnects after a
// drop, with a growing pause.
import { headers } from "./api.js";

// followMarket calls onMarket with every market event and onStatus with
// "live", "reconnecting" or "stopped" (with an error message). It returns
// a function that stops it.
export function followMarket(onMarket, onStatus) {
  const ctl = new AbortController();
  let pause = 500;
  (async () => {
    while (!ctl.signal.aborted) {
      try {
        const resp = await fetch("/v1/market/stream", { headers: headers(), signal: ctl.signal });
        if (resp.status === 401 || resp.status === 403) {
          const body = await resp.json().catch(() => ({}));
          onStatus("stopped", body.message || resp.statusText);
          return;
        }
        if (!resp.ok || !resp.body) throw new Error(resp.statusText);
        onStatus("live");
        pause = 500;
        await readEvents(resp.body, (event, data) => {
          if (event === "market") onMarket(JSON.parse(data));
        });
      } catch (e) {
        if (ctl.signal.aborted) return;
      }
      onStatus("reconnecting");
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 10000);
    }
  })();
  return () => ctl.abort();
}

// readEvents parses a text/event-stream body, calling fn(event, data)
// per event, until the body ends.
async function readEvents(body, fn) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += value;
    let end;
    while ((end = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) fn(event, data.join("\n"));
    }
  }
}

// Opens a WebSocket to the page's own host (wsgate --compress --echo), records the negotiated
// extensions, sends each message once the previous echo is back and compares the echo, then
// closes 1000; window.compressCheck records it all for scripts/compress/compress_check.py.
"use strict";
const record = (i) => JSON.stringify({ id: i, name: `sensor-${i % 7}`, ok: true });
const json = Array.from({ length: 40 }, (_, i) => record(i)).join("\n");
const bytes = new Uint8Array(64 * 1024).map((_, i) => (i * 31 + (i >> 8)) & 0xff);
const MESSAGES = [
  "hello",                                              // below --compress-min-size: plain
  json,                                                 // ~1.5 KiB of JSON
  "permessage-deflate from Chromium ".repeat(3200),     // ~100 KiB, repetitive
  bytes.buffer,                                         // 64 KiB binary
  json,                                                 // again: wsgate keeps its context
];
const rec = (window.compressCheck = { url: `ws://${location.host}/echo`, events: [] });
const log = (event) => {
  rec.events.push(event);
  document.getElementById("log").textContent += JSON.stringify(event) + "\n";
};
const size = (m) => (typeof m === "string" ? m.length : m.byteLength);
const same = (a, b) => {
  if (typeof a === "string" || typeof b === "string") return a === b;
  const [x, y] = [new Uint8Array(a), new Uint8Array(b)];
  return x.length === y.length && x.every((v, i) => v === y[i]);
};
const ws = new WebSocket(rec.url);
ws.binaryType = "arraybuffer";
let next = 0;
const sendNext = () => ws.send(MESSAGES[next]);
ws.onopen = () => {
  log({ ev: "open", extensions: ws.extensions });
  sendNext();
};
ws.onerror = () => log({ ev: "error" });
ws.onmessage = (m) => {
  log({ ev: "echo", bytes: size(m.data), same: same(MESSAGES[next], m.data) });
  next += 1;
  if (next < MESSAGES.length) sendNext();
  else ws.close(1000, "done");
};
ws.onclose = (c) => log({ ev: "close", code: c.code, reason: c.reason, wasClean: c.wasClean });

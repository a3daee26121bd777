// A Node `ws` client for CompressionInteropTests (Debian's node-ws; NODE_PATH=/usr/share/nodejs).
//
//   node ws_client.js PORT PER_MESSAGE_DEFLATE_JSON
//
// Connects with `perMessageDeflate` set to the given JSON, prints the response's
// Sec-WebSocket-Extensions (`extensions: …`), `ws.extensions` (`names: …`) and the parameters
// ws accepted (`accepted: …`), sends 60 text and 10 binary messages of 10 B … 64 KiB one by one
// and requires each echo to be exact; prints `round trips: N exact`. Any failure exits 1.
"use strict";
const WebSocket = require("ws");

const [port, options] = [process.argv[2], JSON.parse(process.argv[3])];
const limit = setTimeout(() => fail("no answer within 30 s"), 30_000);

function fail(reason) {
  console.error(reason);
  process.exit(1);
}

// Deterministic contents: JSON-like text and a byte pattern, sizes spread on a log scale.
function size(i, count) {
  return Math.round(10 * Math.pow(6553.6, i / (count - 1)));
}
function text(n) {
  let s = "";
  for (let i = 0; s.length < n; i++) {
    s += JSON.stringify({ id: i, name: `sensor-${i % 13}`, value: (i * 37) % 1001 }) + "\n";
  }
  return s.slice(0, n);
}
function binary(n) {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff));
}
const messages = [
  ...Array.from({ length: 60 }, (_, i) => text(size(i, 60))),
  ...Array.from({ length: 10 }, (_, i) => binary(size(i, 10))),
];

const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: options });
ws.on("upgrade", (response) => console.log(`extensions: ${response.headers["sec-websocket-extensions"]}`));
ws.on("error", (error) => fail(`error: ${error.message}`));
ws.on("open", () => {
  console.log(`names: ${ws.extensions}`);
  console.log(`accepted: ${JSON.stringify(ws._extensions["permessage-deflate"]?.params ?? null)}`);
  ws.send(messages[0]);
});
let exact = 0;
ws.on("message", (data, isBinary) => {
  const sent = messages[exact];
  const same = typeof sent === "string" ? !isBinary && data.toString() === sent : isBinary && sent.equals(data);
  if (!same) fail(`message ${exact + 1} (${sent.length} bytes) came back as ${data.length} different bytes`);
  exact += 1;
  if (exact < messages.length) ws.send(messages[exact]);
  else ws.close(1000);
});
ws.on("close", (code) => {
  clearTimeout(limit);
  if (exact !== messages.length) fail(`closed (${code}) after ${exact} of ${messages.length} messages`);
  console.log(`round trips: ${exact} exact`);
});

// Opens wss:// to the page's own host (wsgate --ssl examples/hello.sh), waits for the greeting,
// sends one message, closes once its echo is back; window.wssCheck records what happened,
// for scripts/wss/wss_check.py to read over DevTools.
"use strict";
const MESSAGE = "from Chromium over wss";
const rec = (window.wssCheck = { url: `wss://${location.host}/hello`, events: [] });
const log = (event) => {
  rec.events.push(event);
  document.getElementById("log").textContent += JSON.stringify(event) + "\n";
};
const ws = new WebSocket(rec.url);
ws.onopen = () => log({ ev: "open" });
ws.onerror = () => log({ ev: "error" });
ws.onmessage = (m) => {
  log({ ev: "message", data: m.data });
  if (m.data === "Hello, client!") {
    ws.send(MESSAGE);
    log({ ev: "sent", data: MESSAGE });
  } else if (m.data === `Received message: ${MESSAGE}`) {
    ws.close(1000, "done");
  }
};
ws.onclose = (c) => log({ ev: "close", code: c.code, reason: c.reason, wasClean: c.wasClean });
